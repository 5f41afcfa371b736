import PasskeyClient
import Synchronization

/// The requests of a run encoded once into frames (`--runner loop`): frame f carries the assertions whose algorithm
/// slots are `slots[slotStart[f]..<slotStart[f+1]]`.
struct FrameWorkload: Sendable {
    let store: PasskeydFrameStore
    let slots: [UInt8]
    let slotStart: [Int]
    let batch: Int
    let algorithmCount: Int
    let accepted: Set<PasskeydErrorCode>

    var count: Int { store.count }

    /// Encodes `workload`'s singles (batch 1) or batches.
    init(_ workload: Workload) throws(PasskeydClientError) {
        var builder = PasskeydFrameStore.Builder(maxPayload: Int(Int32.max))
        var slots: [UInt8] = []
        var starts = [0]
        if workload.batch > 1 {
            for (b, s) in zip(workload.batches, workload.batchSlots) {
                try builder.append(.authenticationBatch(b))
                slots += s
                starts.append(slots.count)
            }
        } else {
            for (r, s) in zip(workload.singles, workload.singleSlots) {
                try builder.append(.authentication(r))
                slots.append(s)
                starts.append(slots.count)
            }
        }
        self.init(
            store: PasskeydFrameStore(builder), slots: slots, slotStart: starts, batch: workload.batch,
            algorithmCount: workload.algorithmCount, accepted: workload.accepted)
    }

    /// Single-request frames already encoded (the rotation corpus), all of algorithm slot 0.
    init(singles store: PasskeydFrameStore) {
        self.init(
            store: store, slots: [UInt8](repeating: 0, count: store.count), slotStart: Array(0...store.count), batch: 1,
            algorithmCount: 1, accepted: [])
    }

    init(
        store: PasskeydFrameStore, slots: [UInt8], slotStart: [Int], batch: Int, algorithmCount: Int,
        accepted: Set<PasskeydErrorCode>
    ) {
        self.store = store
        self.slots = slots
        self.slotStart = slotStart
        self.batch = batch
        self.algorithmCount = algorithmCount
        self.accepted = accepted
    }
}

/// Runs a plan with every request made on its connection's event loop (the default runner).
///
/// Each of the plan's connections gets one `LoopDriver`, created on its event loop: it keeps up to `depth` requests in
/// flight, sends prepared frames (request ids patched in place), and records every answer in statistics of its own.
/// Ticket t (the run's t-th request) belongs to connection t mod C and sends frame t mod F. Closed loop: a new
/// request goes out as each answer comes in. Open loop: ticket t is due at `start + t × interval`; a timer per
/// connection fires at the next due time and sends whatever is due; a ticket due while all `depth` slots are busy
/// goes out when one frees, and every latency counts from the due time (no coordinated omission). What a callback
/// sends leaves in one write and one flush; nothing is locked or allocated per request.
struct LoopRunner {
    let loops: PasskeydEventLoops
    let endpoint: PasskeydEndpoint
    let workload: FrameWorkload
    let plan: LoadPlan
    let serverPID: Int32?
    let progressLabel: String?
    let showProgress: Bool
    /// Per-request timeout: a run waits at most this long for answers after its end.
    let timeoutNanoseconds: UInt64
    /// Open loop: the least time between two timer wakeups of a connection (0: one per due time). Requests due in
    /// between go out together at the next wakeup, late (never early), and the lateness counts in their latency.
    var quantumNanoseconds: UInt64 = 0

    /// Connects `plan.connections` connections (before any clock starts).
    static func connect(_ endpoint: PasskeydEndpoint, loops: PasskeydEventLoops, count: Int) async throws(PasskeydClientError)
        -> [PasskeydFrameConnection]
    {
        var out: [PasskeydFrameConnection] = []
        for _ in 0..<count {
            var configuration = PasskeydConnectionConfiguration()
            configuration.maxResponseFrameBytes = 64 << 20
            out.append(try await PasskeydFrameConnection.connect(to: endpoint, loops: loops, configuration: configuration))
        }
        return out
    }

    func run(on connections: [PasskeydFrameConnection]) async -> RunOutcome {
        let counters = LiveCounters()
        let openLoop = plan.intervalNanoseconds != nil
        let plan = self.plan
        let workload = self.workload
        var memory = MemoryTrack()
        if let pid = serverPID {
            let m = ProcessMemory.of(pid: pid)
            memory.beforeKiB = m?.rssKiB
            memory.sample(m)
        }
        let loadAverage = HostCPU.loadAverage()
        let hostBefore = HostCPU.busy()
        let serverBefore = serverPID.flatMap { ProcessCPU.of(pid: $0) }
        let clientBefore = ProcessCPU.own()
        let start = PasskeydFrameLink.now() + 2_000_000
        let monitor = Monitor(
            counters: counters, start: start, plan: plan, serverPID: serverPID, label: progressLabel, show: showProgress)
        async let sampled = monitor.run()
        let timeout = timeoutNanoseconds
        let quantum = quantumNanoseconds

        let parts = await withTaskGroup(of: DriverOutcome.self) { group in
            for (c, connection) in connections.enumerated() {
                group.addTask {
                    await withCheckedContinuation { (done: CheckedContinuation<DriverOutcome, Never>) in
                        connection.start {
                            LoopDriver(
                                workload: workload, plan: plan, connection: c, of: connections.count, start: start,
                                timeout: timeout, quantum: quantum, counters: counters, done: done)
                        }
                    }
                }
            }
            var all: [DriverOutcome] = []
            for await p in group { all.append(p) }
            return all
        }
        let finishedAt = parts.map(\.lastAnswer).max() ?? PasskeydFrameLink.now()
        counters.stop.store(true, ordering: .relaxed)
        memory.merge(await sampled)
        let serverAfter = serverPID.flatMap { ProcessCPU.of(pid: $0) }
        let clientAfter = ProcessCPU.own()
        let hostAfter = HostCPU.busy()
        if let pid = serverPID {
            let m = ProcessMemory.of(pid: pid)
            memory.afterKiB = m?.rssKiB
            memory.sample(m)
        }
        var stats = RunStats(openLoop: openLoop, algorithms: workload.algorithmCount)
        for p in parts { stats.merge(p.stats) }
        var outcome = RunOutcome(
            stats: stats, elapsedNanoseconds: finishedAt > start ? finishedAt - start : 0, serverCPUNanoseconds: nil,
            clientCPUNanoseconds: clientAfter - clientBefore, memory: memory)
        if let a = serverBefore, let b = serverAfter { outcome.serverCPUNanoseconds = b - a }
        if let a = hostBefore, let b = hostAfter, b >= a { outcome.hostBusyNanoseconds = b - a }
        outcome.loadAverageBefore = loadAverage
        outcome.flushes = parts.reduce(0) { $0 + $1.flushes }
        if openLoop, let total = plan.totalRequests {
            outcome.scheduled = total
            outcome.notSent = parts.reduce(0) { $0 + $1.notSent }
        }
        return outcome
    }
}

/// What one connection's driver hands back.
struct DriverOutcome: Sendable {
    var stats: RunStats
    var notSent: Int
    var lastAnswer: UInt64
    var flushes: Int
}

/// One connection's load, entirely on its event loop (see `LoopRunner`).
final class LoopDriver: PasskeydFrameDriver {
    private let workload: FrameWorkload
    private let connection: Int
    private let connections: Int
    private let depth: Int
    private let start: UInt64
    /// Open loop: nanoseconds between the run's due times (all connections together).
    private let interval: Double?
    private let end: UInt64?
    /// Tickets of the whole run (count mode, open loop), or nil (closed loop for a duration).
    private let totalTickets: Int?
    private let maxLag: UInt64
    private let timeout: UInt64
    private let quantum: UInt64
    private var lastWake: UInt64 = 0
    private let counters: LiveCounters
    private var done: CheckedContinuation<DriverOutcome, Never>?

    private var stats: RunStats
    /// The next ticket of this connection (connection + k × connections).
    private var nextTicket: Int
    /// Per slot (request id = idBase + slot): ticket, send time, due time (open loop), whether it waited for a slot.
    private var slotTicket: [Int]
    private var slotSent: [UInt64]
    private var slotDue: [UInt64]
    private var slotWaited: [Bool]
    private var freeSlots: [Int]
    /// Open loop: the next ticket came due while every slot was busy.
    private var waitingForSlot = false
    private var link: PasskeydFrameLink?
    private var flushesBefore = 0
    private var inFlight = 0
    private var stopped = false
    private var notSent = 0
    private var timerArmed: UInt64?
    private var lastAnswer: UInt64 = 0
    private var watchdogArmed = false
    /// Progress published once per tick, not per answer.
    private var unpublished = (requests: 0, assertions: 0, errors: 0, started: 0)
    private static let idBase = PasskeydFrameStore.idRange.lowerBound

    init(
        workload: FrameWorkload, plan: LoadPlan, connection: Int, of connections: Int, start: UInt64, timeout: UInt64,
        quantum: UInt64 = 0, counters: LiveCounters, done: CheckedContinuation<DriverOutcome, Never>
    ) {
        self.quantum = quantum
        self.workload = workload
        self.connection = connection
        self.connections = connections
        depth = plan.depth
        self.start = start
        interval = plan.intervalNanoseconds
        end = plan.durationNanoseconds.map { start + $0 }
        totalTickets = plan.totalRequests
        maxLag = plan.maxLagNanoseconds
        self.timeout = timeout
        self.counters = counters
        self.done = done
        stats = RunStats(openLoop: plan.intervalNanoseconds != nil, algorithms: workload.algorithmCount)
        nextTicket = connection
        slotTicket = [Int](repeating: 0, count: plan.depth)
        slotSent = [UInt64](repeating: 0, count: plan.depth)
        slotDue = [UInt64](repeating: 0, count: plan.depth)
        slotWaited = [Bool](repeating: false, count: plan.depth)
        freeSlots = Array((0..<plan.depth).reversed())
        freeSlots.reserveCapacity(plan.depth)
    }

    func started(_ link: PasskeydFrameLink) {
        self.link = link
        flushesBefore = link.flushes
        // Nothing goes out before the common start.
        link.schedule(at: start) { [self] in
            if interval == nil {
                fill(link, now: PasskeydFrameLink.now())
            } else {
                pace(link, now: PasskeydFrameLink.now())
            }
        }
    }

    private var ticketsLeft: Bool { totalTickets.map { nextTicket < $0 } ?? true }

    private func due(_ ticket: Int) -> UInt64 { start + UInt64((Double(ticket) * interval!).rounded()) }

    /// Closed loop: fills every free slot.
    private func fill(_ link: PasskeydFrameLink, now: UInt64) {
        if let end, now >= end { stopped = true }
        while !stopped, ticketsLeft, let slot = freeSlots.popLast() {
            send(link, slot: slot, now: now, due: now)
        }
        finishIfDone(link)
    }

    /// Open loop: sends every ticket due by now that has a free slot, then arms the timer for the next.
    private func pace(_ link: PasskeydFrameLink, now: UInt64) {
        while !stopped, ticketsLeft {
            let d = due(nextTicket)
            if d > now { break }
            if now - d > maxLag {
                abandon()
                break
            }
            guard let slot = freeSlots.popLast() else {
                waitingForSlot = true
                break
            }
            send(link, slot: slot, now: now, due: d)
        }
        if !stopped, ticketsLeft, !freeSlots.isEmpty {
            let d = max(due(nextTicket), quantum > 0 ? lastWake + quantum : 0)
            if d > now, timerArmed != d {
                timerArmed = d
                link.schedule(at: d) { [self] in
                    timerArmed = nil
                    let t = PasskeydFrameLink.now()
                    lastWake = t
                    pace(link, now: t)
                }
            }
        }
        finishIfDone(link)
    }

    private func abandon() {
        stopped = true
        counters.abandoned.store(true, ordering: .relaxed)
        if let total = totalTickets, nextTicket < total {
            notSent = (total - nextTicket + connections - 1) / connections
        }
    }

    private func send(_ link: PasskeydFrameLink, slot: Int, now: UInt64, due: UInt64) {
        let t = nextTicket
        nextTicket += connections
        slotTicket[slot] = t
        slotSent[slot] = now
        slotDue[slot] = due
        slotWaited[slot] = waitingForSlot
        waitingForSlot = false
        inFlight += 1
        unpublished.started += 1
        link.send(workload.store, frame: t % workload.count, id: Self.idBase + UInt64(slot))
    }

    func received(id: UInt64, payload: UnsafeRawBufferPointer, link: PasskeydFrameLink) {
        guard id >= Self.idBase, id - Self.idBase < UInt64(depth) else { return }
        let slot = Int(id - Self.idBase)
        guard slotSent[slot] != 0 else { return }
        let now = PasskeydFrameLink.now()
        lastAnswer = now
        record(slot: slot, payload: payload, now: now)
        slotSent[slot] = 0
        inFlight -= 1
        freeSlots.append(slot)
        if interval == nil {
            if let end, now >= end { stopped = true }
            if !stopped, ticketsLeft, let s = freeSlots.popLast() { send(link, slot: s, now: now, due: now) }
        } else {
            // A ticket that came due while every slot was busy goes out now, late, and is charged from its due time.
            if !stopped, ticketsLeft {
                let d = due(nextTicket)
                // Due ones ride on this wakeup (late, never early); with no timer armed, pace arms one.
                if d <= now || timerArmed == nil { pace(link, now: now) }
            }
        }
        finishIfDone(link)
    }

    func tickEnded(_ link: PasskeydFrameLink) {
        let u = unpublished
        if u.requests > 0 { counters.requests.wrappingAdd(u.requests, ordering: .relaxed) }
        if u.assertions > 0 { counters.assertions.wrappingAdd(u.assertions, ordering: .relaxed) }
        if u.errors > 0 { counters.errors.wrappingAdd(u.errors, ordering: .relaxed) }
        if u.started > 0 {
            counters.started.wrappingAdd(u.started, ordering: .relaxed)
            counters.tickets.wrappingAdd(u.started, ordering: .relaxed)
        }
        unpublished = (0, 0, 0, 0)
        if !watchdogArmed, done != nil {
            // Once per run: answers that never come end the run a timeout after its schedule.
            // (A closed-loop count run has no schedule: it gets an hour.)
            let last = end ?? (interval == nil ? start + 3_600_000_000_000 : due(for: totalTickets ?? 0))
            let limit = last + timeout
            watchdogArmed = true
            link.schedule(at: limit) { [self] in
                guard done != nil else { return }
                countLost(as: "timeout")
                inFlight = 0
                stopped = true
                finish(link)
            }
        }
    }

    private func due(for total: Int) -> UInt64 { interval == nil ? start : start + UInt64(Double(total) * interval!) }

    func ended(_ error: PasskeydClientError?) {
        guard done != nil else { return }
        countLost(as: error.map(Worker.name) ?? "connection_closed")
        stopped = true
        deliver()
    }

    /// Requests still in flight, counted as failures under `name`.
    private func countLost(as name: String) {
        for slot in 0..<depth where slotSent[slot] != 0 {
            let f = slotTicket[slot] % workload.count
            let n = workload.slotStart[f + 1] - workload.slotStart[f]
            stats.errors[name, default: 0] += n
            for i in workload.slotStart[f]..<workload.slotStart[f + 1] { stats.byAlgorithm[Int(workload.slots[i])].errors += 1 }
            if interval != nil {
                let lag = slotSent[slot] - min(slotSent[slot], slotDue[slot])
                stats.sendLag?.recordClamped(lag)
            }
            slotSent[slot] = 0
        }
    }

    private func finishIfDone(_ link: PasskeydFrameLink) {
        guard inFlight == 0, stopped || !ticketsLeft, done != nil else { return }
        finish(link)
    }

    private func finish(_ link: PasskeydFrameLink) {
        deliver()
        link.detach()
    }

    private func deliver() {
        guard let done else { return }
        self.done = nil
        let flushes = (link?.flushes ?? flushesBefore) - flushesBefore
        link = nil
        done.resume(returning: DriverOutcome(stats: stats, notSent: notSent, lastAnswer: lastAnswer, flushes: flushes))
    }

    /// Reads the answer's codes: `Response` field 11 (one result), 12 (a batch: `results`, field 1, repeated) or 20
    /// (a request-level error); each result's `error_code` is its field 1.
    private func record(slot: Int, payload: UnsafeRawBufferPointer, now: UInt64) {
        let f = slotTicket[slot] % workload.count
        let first = workload.slotStart[f], past = workload.slotStart[f + 1]
        let sent = slotSent[slot], dueAt = slotDue[slot]
        let open = interval != nil
        let latency = now - (open ? min(dueAt, sent) : sent)
        if open {
            let lag = sent > dueAt ? sent - dueAt : 0
            stats.sendLag?.recordClamped(lag)
            stats.serviceTime?.recordClamped(now - sent)
            if lag > RunStats.lateThresholdNanoseconds {
                stats.lateStarts += 1
                if slotWaited[slot] { stats.lateNoFreeWorker += 1 }
            }
        }
        var reader = WireReader(payload)
        var results = 0
        var bad = 0
        var requestError: PasskeydErrorCode?
        while !reader.atEnd {
            guard let (field, value) = reader.next() else { break }
            guard case let .lengthDelimited(body) = value else { continue }
            switch field {
            case 11:
                if first + results < past { bad += note(Self.code(body), slot: workload.slots[first + results]) }
                results += 1
            case 12:
                var batch = WireReader(body)
                while !batch.atEnd {
                    guard let (f1, v1) = batch.next() else { break }
                    if f1 == 1, case let .lengthDelimited(item) = v1 {
                        if first + results < past { bad += note(Self.code(item), slot: workload.slots[first + results]) }
                        results += 1
                    }
                }
            case 20:
                requestError = Self.code(body)
            default:
                break
            }
        }
        if let requestError {
            // The request was not served: each of its items fails under the code, and no latency is recorded.
            let name = requestError.protoName
            stats.errors[name, default: 0] += past - first
            for i in first..<past { stats.byAlgorithm[Int(workload.slots[i])].errors += 1 }
            unpublished.errors += past - first
            return
        }
        if results != past - first {
            stats.errors["protocol_violation", default: 0] += past - first
            unpublished.errors += past - first
            return
        }
        stats.latency.recordClamped(latency)
        stats.requests += 1
        stats.assertions += results
        if results == 1, workload.batch == 1 {
            let a = Int(workload.slots[first])
            stats.byAlgorithm[a].requests += 1
            if workload.algorithmCount > 1 { stats.byAlgorithm[a].latency.recordClamped(latency) }
        }
        unpublished.requests += 1
        unpublished.assertions += results
        unpublished.errors += bad
    }

    /// Counts one result; 1 when it is an error.
    private func note(_ code: PasskeydErrorCode, slot: UInt8) -> Int {
        let a = Int(slot)
        stats.byAlgorithm[a].assertions += 1
        if code == .errorCodeNone { return 0 }
        if workload.accepted.contains(code) {
            stats.accepted[code.protoName, default: 0] += 1
            return 0
        }
        stats.errors[code.protoName, default: 0] += 1
        stats.byAlgorithm[a].errors += 1
        return 1
    }

    /// Field 1 (an `ErrorCode` varint) of a result or an `Error`.
    private static func code(_ body: UnsafeRawBufferPointer) -> PasskeydErrorCode {
        var r = WireReader(body)
        while !r.atEnd {
            guard let (field, value) = r.next() else { break }
            if field == 1, case let .varint(v) = value { return PasskeydErrorCode(rawValue: Int32(truncatingIfNeeded: v)) }
        }
        return .errorCodeNone
    }
}
