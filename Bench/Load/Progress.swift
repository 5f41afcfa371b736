/// The once-a-second progress line.
enum Progress {
    static func run(counters: LiveCounters, start: UInt64, plan: LoadPlan) async {
        var last = counters.snapshot
        var lastTime = start
        var tick: UInt64 = 1
        while !counters.stop.load(ordering: .relaxed) {
            let due = start + tick * 1_000_000_000
            let now = Clock.nanoseconds()
            if now < due {
                // Short sleeps so the line stops promptly when the workers finish.
                try? await Task.sleep(for: .milliseconds(Int64(min(100, (due - now) / 1_000_000 + 1))))
                continue
            }
            let s = counters.snapshot
            let seconds = Double(now - lastTime) / 1e9
            let line = "[\(pad(tick, 3))s] " + "\(pad(rate(s.assertions - last.assertions, seconds), 8)) assertions/s  "
                + "\(pad(rate(s.requests - last.requests, seconds), 8)) requests/s  errors \(s.errors)"
            print(line)
            last = s
            lastTime = now
            tick += 1
        }
    }

    static func rate(_ n: Int, _ seconds: Double) -> Int { seconds > 0 ? Int((Double(n) / seconds).rounded()) : 0 }

    static func pad<T>(_ v: T, _ width: Int) -> String {
        let s = "\(v)"
        return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
