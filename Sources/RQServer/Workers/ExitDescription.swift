import RQLoop

/// Ruby's `Process::Status#to_s`, which the original put into status texts:
/// `pid 123 exit 1`, `pid 123 SIGTERM (signal 15)`, `pid 123 signal 40` (no name).
public enum ExitDescription {
    public static func ruby(_ exit: ExitStatus, pid: Int32) -> String {
        switch exit {
        case .exited(let code):
            return "pid \(pid) exit \(code)"
        case .signaled(let signal):
            guard let name = signalName(signal) else { return "pid \(pid) signal \(signal)" }
            return "pid \(pid) \(name) (signal \(signal))"
        }
    }
}
