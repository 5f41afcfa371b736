#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Calendar arithmetic and the current time, for certificate validity, metadata `nextUpdate` and SafetyNet timestamps.
public enum WallClock {
    /// The current time in Unix seconds.
    public static func now() -> Int64 { Int64(time(nil)) }

    /// The current time in Unix milliseconds.
    public static func nowMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Midnight UTC of a date in the proleptic Gregorian calendar, in Unix seconds.
    public static func unixSeconds(year: Int64, month: Int64, day: Int64) -> Int64 {
        ASN1Time.daysFromCivil(year: year, month: month, day: day) * 86_400
    }

    /// `YYYY-MM-DD` (as FIDO metadata writes dates) at midnight UTC; nil when it is not such a date.
    public static func unixSeconds(isoDate s: String) -> Int64? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return unixSeconds(year: y, month: m, day: d)
    }
}
