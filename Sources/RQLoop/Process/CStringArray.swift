import Glibc

/// A NULL-terminated `char *[]` (argv, envp) owning `strdup`ed copies, freed on deinit.
/// Hand-written because Swift offers no way to lend an array of C strings at once.
final class CStringArray {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit {
        pointers.forEach { free($0) }
    }
}
