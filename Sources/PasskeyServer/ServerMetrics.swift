import PasskeyProtocol
import Metrics
import PasskeyCOSE
import PasskeyWire

/// The server's metrics (swift-metrics API; exposed in Prometheus text format when a metrics port is set).
///
/// Every counter is built at start, one per (method, wire code) and one per request-level code, in flat tables
/// indexed by the code's number: recording a verdict or a request error — accepted or rejected, which is what a
/// flood of bad signatures produces — takes no lock and allocates nothing.
final class ServerMetrics: Sendable {
    /// verdicts[method][code raw value]; nil where the number is not an ErrorCode value.
    private let verdicts: [WireMethod: [Counter?]]
    private let requestErrors: [Counter?]
    let latency: [WireMethod: Timer]
    let batchSize = Recorder(label: "passkeyd_batch_items", aggregate: true)
    let inFlight = Gauge(label: "passkeyd_in_flight")
    let connections = Gauge(label: "passkeyd_connections")
    let keyCacheHitRate = Gauge(label: "passkeyd_key_cache_hit_ratio")
    let keyCacheEntries = Gauge(label: "passkeyd_key_cache_entries")
    let framesPerRead = Recorder(label: "passkeyd_frames_per_read", aggregate: true)

    static let verdictMethods: [WireMethod] = [
        .verifyRegistration, .verifyAuthentication, .verifyAuthenticationBatch, .verifyRegistrationBatch,
    ]

    init() {
        var l: [WireMethod: Timer] = [:]
        for m in WireMethod.allCases {
            l[m] = Timer(label: "passkeyd_request_duration_seconds", dimensions: [("method", m.rawValue)])
        }
        latency = l
        let size = Int(PasskeydErrorCode.allKnown.last?.rawValue ?? 0) + 1
        var v: [WireMethod: [Counter?]] = [:]
        for m in Self.verdictMethods {
            var row = [Counter?](repeating: nil, count: size)
            for code in PasskeydErrorCode.allKnown {
                row[Int(code.rawValue)] = Counter(
                    label: "passkeyd_verdicts_total", dimensions: [("method", m.rawValue), ("code", code.protoName)])
            }
            v[m] = row
        }
        verdicts = v
        var errors = [Counter?](repeating: nil, count: size)
        for code in WireErrorCode.allCases {
            errors[Int(code.code.rawValue)] = Counter(label: "passkeyd_request_errors_total", dimensions: [("code", code.rawValue)])
        }
        requestErrors = errors
    }

    func verdict(method: WireMethod, code: PasskeydErrorCode) {
        guard let row = verdicts[method], code.rawValue >= 0, Int(code.rawValue) < row.count,
            let counter = row[Int(code.rawValue)]
        else { return }
        counter.increment()
    }

    func requestError(_ code: WireErrorCode) {
        let wire = code.code
        guard wire.rawValue >= 0, Int(wire.rawValue) < requestErrors.count, let counter = requestErrors[Int(wire.rawValue)]
        else { return }
        counter.increment()
    }

    func observe(cache: KeyCache) {
        let s = cache.statistics
        keyCacheHitRate.record(s.hitRate)
        keyCacheEntries.record(s.count)
    }
}
