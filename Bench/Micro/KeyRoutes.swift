// passkey-microbench --key-routes: every route OpenSSL 3.0 offers to build a public key, per algorithm, timed side by
// side in one run: build only, build + one verify (a key not in any cache), and the hot verify on kept keys. Ratios
// are to the faster of the algorithm's hot ceilings. Then the heap a kept P-256 key costs, by route.
import PasskeyCrypto
import PasskeyJSON

#if canImport(Glibc)
    import Glibc
#endif

func runKeyRoutes(seconds: Double, rounds: Int, memoryKeys: Int, jsonPath: String?) throws {
    print("passkey-microbench --key-routes: \(seconds) s per route and measurement, median of \(rounds) rounds, one thread")
    // Whole passes repeated and each figure's median taken, so a burst of load on a shared box hits one round, not a row.
    var passes: [(rows: [KeyRoutes.Row], ceilings: [KeyRoutes.Ceiling])] = []
    for _ in 0..<max(1, rounds) { passes.append(try KeyRoutes.measure(seconds: seconds)) }
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
    let rows = passes[0].rows.indices.map { i in
        let first = passes[0].rows[i]
        return KeyRoutes.Row(
            algorithm: first.algorithm, route: first.route,
            buildMicroseconds: median(passes.map { $0.rows[i].buildMicroseconds }),
            coldMicroseconds: median(passes.map { $0.rows[i].coldMicroseconds }),
            failures: passes.map { $0.rows[i].failures }.reduce(0, +), inUse: first.inUse)
    }
    let ceilings = passes[0].ceilings.indices.map { i in
        KeyRoutes.Ceiling(algorithm: passes[0].ceilings[i].algorithm, route: passes[0].ceilings[i].route,
                          hotMicroseconds: median(passes.map { $0.ceilings[i].hotMicroseconds }))
    }
    var best: [String: Double] = [:]
    for c in ceilings { best[c.algorithm] = min(best[c.algorithm] ?? .infinity, c.hotMicroseconds) }
    func f1(_ x: Double) -> String { String((x * 10).rounded() / 10) }
    func f3(_ x: Double) -> String { String((x * 1000).rounded() / 1000) }
    print("")
    print("| algorithm | route | build µs | build + verify µs | cold rate / faster hot ceiling | in use |")
    print("|---|---|---:|---:|---:|---|")
    for c in ceilings {
        print("| \(c.algorithm) | hot: \(c.route) | | \(f1(c.hotMicroseconds)) | \(f3(best[c.algorithm]! / c.hotMicroseconds)) | |")
    }
    for r in rows {
        let ratio = best[r.algorithm]! / r.coldMicroseconds
        print("| \(r.algorithm) | \(r.route) | \(f1(r.buildMicroseconds)) | \(f1(r.coldMicroseconds)) | \(f3(ratio)) | \(r.inUse ? "yes" : "") |\(r.failures > 0 ? " FAILURES \(r.failures)" : "")")
    }
    let memory = try KeyRoutes.bytesPerKey(count: memoryKeys) { residentKiB() * 1024 }
    print("")
    print("| kept P-256 key, \(memoryKeys) keys (RSS delta) | bytes per key |")
    print("|---|---:|")
    for m in memory { print("| \(m.route) | \(Int(m.bytes.rounded())) |") }

    if let path = jsonPath {
        var w = JSONWriter()
        w.beginObject()
        w.key("ceilings")
        w.beginArray()
        for c in ceilings {
            w.beginObject()
            w.member("algorithm", c.algorithm)
            w.member("route", c.route)
            w.member("hot_ns", Int64((c.hotMicroseconds * 1000).rounded()))
            w.endObject()
        }
        w.endArray()
        w.key("routes")
        w.beginArray()
        for r in rows {
            w.beginObject()
            w.member("algorithm", r.algorithm)
            w.member("route", r.route)
            w.member("build_ns", Int64((r.buildMicroseconds * 1000).rounded()))
            w.member("cold_ns", Int64((r.coldMicroseconds * 1000).rounded()))
            w.member("failures", Int64(r.failures))
            w.member("in_use", r.inUse)
            w.endObject()
        }
        w.endArray()
        w.key("bytes_per_key")
        w.beginArray()
        for m in memory {
            w.beginObject()
            w.member("route", m.route)
            w.member("bytes", Int64(m.bytes.rounded()))
            w.endObject()
        }
        w.endArray()
        w.endObject()
        guard let f = fopen(path, "w") else { fatalError("cannot write \(path)") }
        fputs(w.text + "\n", f)
        fclose(f)
    }
}
