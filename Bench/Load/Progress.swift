/// Runs beside the workers: samples the server's RSS every 100 ms (when --server-pid is given) and prints a progress
/// line every second. Returns the RSS samples when the workers are done.
struct Monitor: Sendable {
    let counters: LiveCounters
    let start: UInt64
    let plan: LoadPlan
    let serverPID: Int32?
    let label: String?
    let show: Bool

    static let sampleNanoseconds: UInt64 = 100_000_000

    func run() async -> MemoryTrack {
        var memory = MemoryTrack()
        var last = counters.snapshot
        var lastTime = max(start, Clock.nanoseconds())
        var lastCPU = serverPID.flatMap { ProcessCPU.of(pid: $0) }
        var tick: UInt64 = 1
        var nextSample = Clock.nanoseconds()
        while !counters.stop.load(ordering: .relaxed) {
            let now = Clock.nanoseconds()
            if let pid = serverPID, now >= nextSample {
                memory.sample(ProcessMemory.of(pid: pid))
                nextSample = now + Self.sampleNanoseconds
            }
            let due = start + tick * 1_000_000_000
            if now < due {
                // Short sleeps: RSS samples, and the monitor stops promptly when the workers finish.
                try? await Task.sleep(nanoseconds: min(due - now, Self.sampleNanoseconds))
                continue
            }
            let s = counters.snapshot
            let cpu = serverPID.flatMap { ProcessCPU.of(pid: $0) }
            if show {
                say(line(s, last, seconds: Double(now - lastTime) / 1e9, tick: tick, now: now, cpu: cpu, lastCPU: lastCPU,
                         memory: memory))
            }
            last = s
            lastTime = now
            lastCPU = cpu
            tick += 1
        }
        return memory
    }

    private func line(
        _ s: LiveCounters.Snapshot, _ last: LiveCounters.Snapshot, seconds: Double, tick: UInt64, now: UInt64,
        cpu: UInt64?, lastCPU: UInt64?, memory: MemoryTrack
    ) -> String {
        var text = "[" + (label.map { $0 + " " } ?? "") + "\(pad(tick, 3))s] "
            + "\(pad(rate(s.assertions - last.assertions, seconds), 8)) assertions/s  "
            + "\(pad(rate(s.requests - last.requests, seconds), 7)) requests/s  errors \(s.errors)"
        if let interval = plan.intervalNanoseconds, let total = plan.totalRequests {
            // Requests due by now that no worker has sent yet.
            let due = min(total, Int(Double(now - start) / interval) + 1)
            text += "  behind \(max(0, due - s.started))"
        }
        if let cpu, let lastCPU, seconds > 0 {
            text += "  server " + fixed(Double(cpu - lastCPU) / 1e9 / seconds, 2) + " cores"
        }
        if let peak = memory.peakKiB {
            text += " " + fixed(Double(peak) / 1024, 1) + " MiB"
        }
        return text
    }

    private func rate(_ n: Int, _ seconds: Double) -> Int { seconds > 0 ? Int((Double(n) / seconds).rounded()) : 0 }
}

func pad<T>(_ v: T, _ width: Int) -> String {
    let s = "\(v)"
    return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

func padRight(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}
