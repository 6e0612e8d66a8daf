/// The router's rules file, read for every message (it is small) and parsed again only when
/// its bytes changed, so an edit applies to the next message without a restart.
public final class RouterRulesFile {
    public let path: String
    private var cached: (bytes: [UInt8], rules: Result<RouterRules, RouterRules.Problem>)?

    public init(path: String) { self.path = path }

    public func current() -> Result<RouterRules, RouterRules.Problem> {
        let bytes: [UInt8]
        do { bytes = try FileOps.readRegularFile(path, maxSize: RouterRules.maxFileSize) } catch {
            return .failure(RouterRules.Problem("\(path): cannot be read (\(error.reason))"))
        }
        if let cached, cached.bytes == bytes { return cached.rules }
        let rules: Result<RouterRules, RouterRules.Problem>
        do { rules = .success(try RouterRules.parse(bytes: bytes, path: path)) } catch { rules = .failure(error) }
        cached = (bytes, rules)
        return rules
    }
}
