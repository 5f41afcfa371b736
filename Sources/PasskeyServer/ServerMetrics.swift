import Metrics
import PasskeyCOSE
import PasskeyWire
import Synchronization

/// The server's metrics (swift-metrics API; exposed in Prometheus text format when a metrics port is set).
/// Counter handles are cached per (method, code), so recording a verdict does not allocate.
final class ServerMetrics: Sendable {
    /// Accepted verdicts, prebuilt per method: the hot path takes no lock.
    private let accepted: [WireMethod: Counter]
    private let rejected = Mutex<[WireMethod: [String: Counter]]>([:])
    let requestErrors = Mutex<[String: Counter]>([:])
    let latency: [WireMethod: Timer]
    let batchSize = Recorder(label: "passkeyd_batch_items", aggregate: true)
    let inFlight = Gauge(label: "passkeyd_in_flight")
    let connections = Gauge(label: "passkeyd_connections")
    let keyCacheHitRate = Gauge(label: "passkeyd_key_cache_hit_ratio")
    let keyCacheEntries = Gauge(label: "passkeyd_key_cache_entries")
    let framesPerRead = Recorder(label: "passkeyd_frames_per_read", aggregate: true)

    init() {
        var l: [WireMethod: Timer] = [:]
        for m in WireMethod.allCases {
            l[m] = Timer(label: "passkeyd_request_duration_seconds", dimensions: [("method", m.rawValue)])
        }
        latency = l
        var a: [WireMethod: Counter] = [:]
        for m in WireMethod.allCases {
            a[m] = Counter(label: "passkeyd_verdicts_total", dimensions: [("method", m.rawValue), ("code", "ERROR_CODE_NONE")])
        }
        accepted = a
    }

    func verdict(method: WireMethod, code: String) {
        if code == "ERROR_CODE_NONE", let c = accepted[method] {
            c.increment()
            return
        }
        let counter = rejected.withLock { cache in
            if let c = cache[method]?[code] { return c }
            let c = Counter(label: "passkeyd_verdicts_total", dimensions: [("method", method.rawValue), ("code", code)])
            cache[method, default: [:]][code] = c
            return c
        }
        counter.increment()
    }

    func requestError(_ code: WireErrorCode) {
        let counter = requestErrors.withLock { cache in
            if let c = cache[code.rawValue] { return c }
            let c = Counter(label: "passkeyd_request_errors_total", dimensions: [("code", code.rawValue)])
            cache[code.rawValue] = c
            return c
        }
        counter.increment()
    }

    func observe(cache: KeyCache) {
        let s = cache.statistics
        keyCacheHitRate.record(s.hitRate)
        keyCacheEntries.record(s.count)
    }
}
