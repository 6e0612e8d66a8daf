/// How a queue script is executed, from the queue's `exec_prefix` (worker-protocol.md §6.2).
public enum WorkerCommandLine {
    /// What a missing (null) `exec_prefix` means.
    public static let defaultExecPrefix = "bash -lc "

    /// Returns the program and the arguments after argv[0] (`SpawnRequest`'s shape).
    /// - `""`: the resolved script is executed directly, argv `[script]` (the original's
    ///   extra empty argument is dropped; §6.2 allows it).
    /// - otherwise: `/bin/sh -c "<prefix><script>"`, always through the shell as §6.2
    ///   recommends, with a space inserted when the prefix does not end in whitespace.
    ///   The script path is concatenated unquoted, as in the original.
    public static func make(execPrefix: String?, scriptPath: String) -> (executablePath: String, arguments: [String]) {
        let prefix = execPrefix ?? defaultExecPrefix
        if prefix.isEmpty { return (scriptPath, []) }
        let separator = prefix.last.map { $0.isWhitespace } == true ? "" : " "
        return ("/bin/sh", ["-c", prefix + separator + scriptPath])
    }
}
