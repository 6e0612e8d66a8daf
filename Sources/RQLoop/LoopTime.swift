import Glibc

/// Conversions between the loop's Double seconds and libc's timeval.
enum LoopTime {
    static func timeval(seconds: Double) -> Glibc.timeval {
        // Clamp so a NaN, negative or absurd delay cannot overflow the conversion.
        let clamped = seconds.isFinite ? min(max(seconds, 0), 100_000_000) : 0
        let whole = clamped.rounded(.down)
        return Glibc.timeval(tv_sec: Int(whole), tv_usec: Int((clamped - whole) * 1_000_000))
    }
}
