#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// CPU time of processes, in nanoseconds.
enum ProcessCPU {
    /// utime + stime of `pid` from /proc/PID/stat (fields 14 and 15, in clock ticks); nil when unreadable.
    static func of(pid: Int32) -> UInt64? {
        guard let stat = readSmallFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // After the parenthesised command name: field 3 (state) onwards.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let utime = UInt64(fields[11]), let stime = UInt64(fields[12]) else { return nil }
        let hz = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return (utime + stime) * 1_000_000_000 / hz
    }

    /// This process's user + system time.
    static func own() -> UInt64 {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        func ns(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_usec) * 1000 }
        return ns(usage.ru_utime) + ns(usage.ru_stime)
    }
}

/// CPU time of the whole machine: all CPUs' non-idle time from the first line of /proc/stat (user, nice, system, irq,
/// softirq, steal; guest time is part of user), in nanoseconds; nil when unreadable.
enum HostCPU {
    static func busy() -> UInt64? {
        guard let stat = readSmallFile("/proc/stat"), let first = stat.split(separator: "\n").first,
            first.hasPrefix("cpu ")
        else { return nil }
        let f = first.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard f.count >= 8 else { return nil }
        let ticks = f[0] + f[1] + f[2] + f[5] + f[6] + f[7]
        return ticks * 1_000_000_000 / UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
    }

    /// The 1, 5 and 15 minute load averages.
    static func loadAverage() -> [Double]? {
        guard let text = readSmallFile("/proc/loadavg") else { return nil }
        let v = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        return v.count == 3 ? v : nil
    }
}

/// Resident memory of a process, from /proc/PID/status.
enum ProcessMemory {
    struct Status: Sendable {
        /// VmRSS: resident now.
        var rssKiB: UInt64
        /// VmHWM: the largest resident size since the process started.
        var highWaterKiB: UInt64?
    }

    static func of(pid: Int32) -> Status? {
        guard let text = readSmallFile("/proc/\(pid)/status") else { return nil }
        var rss: UInt64?
        var hwm: UInt64?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") {
                rss = kib(line)
            } else if line.hasPrefix("VmHWM:") {
                hwm = kib(line)
            }
        }
        return rss.map { Status(rssKiB: $0, highWaterKiB: hwm) }
    }

    /// "VmRSS:	   12345 kB" → 12345.
    private static func kib(_ line: Substring) -> UInt64? {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { UInt64($0) }
    }
}

/// The server's RSS over a run: before, after, and the largest of the samples taken while it ran.
struct MemoryTrack: Sendable {
    var beforeKiB: UInt64?
    var afterKiB: UInt64?
    var peakKiB: UInt64?
    var highWaterKiB: UInt64?
    var samples = 0

    mutating func sample(_ s: ProcessMemory.Status?) {
        guard let s else { return }
        peakKiB = max(peakKiB ?? 0, s.rssKiB)
        highWaterKiB = s.highWaterKiB ?? highWaterKiB
        samples += 1
    }

    mutating func merge(_ o: MemoryTrack) {
        if let p = o.peakKiB { peakKiB = max(peakKiB ?? 0, p) }
        highWaterKiB = o.highWaterKiB ?? highWaterKiB
        samples += o.samples
    }
}
