internal import CPasskeyOpenSSL

/// The key-building routes OpenSSL 3.0 offers, timed side by side for `passkey-microbench --key-routes`: build only,
/// build + one verify (a cold key), and the hot verify on a kept key. Only the route marked `inUse` is what
/// `PublicKey` does; the others exist here to be measured (docs/DESIGN.md, "Cold keys").
public enum KeyRoutes {
    public struct Row: Sendable {
        public init(algorithm: String, route: String, buildMicroseconds: Double, coldMicroseconds: Double, failures: Int, inUse: Bool) {
            self.algorithm = algorithm
            self.route = route
            self.buildMicroseconds = buildMicroseconds
            self.coldMicroseconds = coldMicroseconds
            self.failures = failures
            self.inUse = inUse
        }

        public let algorithm: String
        public let route: String
        /// Microseconds per call; `hot` is the verify alone on a key built beforehand.
        public let buildMicroseconds: Double
        public let coldMicroseconds: Double
        public let failures: Int
        public let inUse: Bool
    }

    public struct Ceiling: Sendable {
        public init(algorithm: String, route: String, hotMicroseconds: Double) {
            self.algorithm = algorithm
            self.route = route
            self.hotMicroseconds = hotMicroseconds
        }

        public let algorithm: String
        public let route: String
        public let hotMicroseconds: Double
    }

    /// Each route runs for `seconds` of build-only calls and `seconds` of build+verify calls over `keyCount` keys.
    public static func measure(seconds: Double, keyCount: Int = 8) throws(CryptoError) -> (rows: [Row], ceilings: [Ceiling]) {
        var rows: [Row] = []
        var ceilings: [Ceiling] = []
        for (name, curve, hash) in [("ES256 (P-256)", ECCurve.p256, HashAlgorithm.sha256),
                                    ("ES384 (P-384)", .p384, .sha384), ("ES512 (P-521)", .p521, .sha512)] {
            let set = try KeySet(keyCount: keyCount) { () throws(CryptoError) in try .generateEC(curve) } scheme: { .ecdsa(hash) }
            let (r, c) = ecRoutes(name, curve, set, seconds)
            rows += r
            ceilings += c
        }
        let ed = try KeySet(keyCount: keyCount) { () throws(CryptoError) in try .generateEdwards(.ed25519) } scheme: { .eddsa }
        let (er, ec) = edRoutes(ed, seconds)
        rows += er
        ceilings += ec
        let rsaKeys = try (0..<min(keyCount, 4)).map { _ throws(CryptoError) in try PrivateKey.generateRSA(bits: 2048) }
        for (name, scheme) in [("RS256 (RSA-2048)", SignatureScheme.rsaPKCS1v15(.sha256)), ("PS256 (RSA-2048)", .rsaPSS(.sha256))] {
            let set = try KeySet(keys: rsaKeys, scheme: scheme)
            let (r, c) = rsaRoutes(name, scheme, set, seconds)
            rows += r
            ceilings += c
        }
        OpenSSLErrors.clear()
        return (rows, ceilings)
    }

    /// Bytes that `count` kept P-256 keys cost per key, by route, as `heapInUse` (the caller's reading of the process's
    /// memory, e.g. its RSS) sees them: "PublicKey (in use)" is what a KeyCache entry holds besides its COSE bytes.
    /// Every route's keys stay alive until all are measured, so no route reuses memory another one freed.
    public static func bytesPerKey(count: Int, heapInUse: () -> Int) throws(CryptoError) -> [(route: String, bytes: Double)] {
        let key = try PrivateKey.generateEC(.p256)
        guard case .ec(_, let x, let y) = key.publicComponents else { return [] }
        let point = [0x04] + x + y
        var out: [(String, Double)] = []
        var kept: [PublicKey] = []
        var keptEC: [OpaquePointer?] = []
        var keptEVP: [OpaquePointer?] = []
        defer {
            kept.removeAll()
            for k in keptEC { if let k { passkey_ec_key_free(k) } }
            for k in keptEVP { EVP_PKEY_free(k) }
        }
        do {
            let before = heapInUse()
            kept.reserveCapacity(count)
            for _ in 0..<count { kept.append(try PublicKey.ec(curve: .p256, x: x, y: y)) }
            out.append(("PublicKey (in use: EC_KEY on a group copy, sharing EVP_PKEY, Swift object)", Double(heapInUse() - before) / Double(count)))
        }
        do {
            let group = ECGroups.shared.group(.p256)
            let before = heapInUse()
            keptEC.reserveCapacity(count)
            point.withUnsafeBytes { p in
                for _ in 0..<count { keptEC.append(passkey_ec_key_from_point(group, p.bytePointer, p.count)) }
            }
            out.append(("EC_KEY alone (legacy, group copy)", Double(heapInUse() - before) / Double(count)))
        }
        do {
            let before = heapInUse()
            keptEVP.reserveCapacity(count)
            point.withUnsafeBytes { p in
                for _ in 0..<count { keptEVP.append(passkey_ec_public_key(PASSKEY_CURVE_P256, p.bytePointer, p.count)) }
            }
            out.append(("EVP_PKEY_fromdata key (the previous route, without its verify context)", Double(heapInUse() - before) / Double(count)))
        }
        OpenSSLErrors.clear()
        return out
    }

    // MARK: - Routes

    private static func ecRoutes(_ name: String, _ curve: ECCurve, _ set: KeySet, _ seconds: Double) -> ([Row], [Ceiling]) {
        let group = ECGroups.shared.group(curve)
        let n = set.count
        var rows: [Row] = []
        func row(_ route: String, inUse: Bool = false, build: (Int) -> OpaquePointer?, verify: (OpaquePointer, Int) -> Bool,
                 free: (OpaquePointer) -> Void) {
            let b = time(seconds, n) { i in
                guard let k = build(i) else { return false }
                free(k)
                return true
            }
            let c = time(seconds, n) { i in
                guard let k = build(i) else { return false }
                defer { free(k) }
                return verify(k, i)
            }
            rows.append(Row(algorithm: name, route: route, buildMicroseconds: b.micros, coldMicroseconds: c.micros,
                            failures: b.failures + c.failures, inUse: inUse))
        }
        let evpVerify: (OpaquePointer, Int) -> Bool = { pkey, i in set.evpVerify(pkey, i) }
        let ecdsaVerify: (OpaquePointer, Int) -> Bool = { key, i in set.ecdsaVerify(key, i) }
        let evpFree: (OpaquePointer) -> Void = { EVP_PKEY_free($0) }
        let ecFree: (OpaquePointer) -> Void = { passkey_ec_key_free($0) }
        row("EVP_PKEY_fromdata (the previous route) + EVP_PKEY_verify", build: { i in
            set.point(i) { passkey_ec_public_key(curve.shimID, $0.bytePointer, $0.count) }
        }, verify: evpVerify, free: evpFree)
        row("d2i_PUBKEY + EVP_PKEY_verify", build: { i in set.d2i(i) }, verify: evpVerify, free: evpFree)
        row("OSSL_DECODER (DER SubjectPublicKeyInfo) + EVP_PKEY_verify", build: { i in set.decode(i, type: "EC") },
            verify: evpVerify, free: evpFree)
        row("EC_KEY_new_by_curve_name + EC_KEY_oct2key + ECDSA_verify", build: { i in
            set.point(i) { passkey_ec_key_new_by_curve(curve.shimID, $0.bytePointer, $0.count) }
        }, verify: ecdsaVerify, free: ecFree)
        row("EC_KEY, shared group, set_public_key_affine_coordinates (full key check) + ECDSA_verify", build: { i in
            set.point(i) { p in
                let size = curve.coordinateByteCount
                return passkey_ec_key_checked(group, p.bytePointer! + 1, p.bytePointer! + 1 + size, size)
            }
        }, verify: ecdsaVerify, free: ecFree)
        row("EC_KEY, shared group, EC_KEY_oct2key + EVP_PKEY wrapper + EVP_PKEY_verify (provider export)", build: { i in
            set.point(i) { p in
                guard let k = passkey_ec_key_from_point(group, p.bytePointer, p.count) else { return nil }
                defer { passkey_ec_key_free(k) }
                return passkey_evp_pkey_sharing_ec_key(k)
            }
        }, verify: evpVerify, free: evpFree)
        row("EC_KEY, shared group, EC_KEY_oct2key + ECDSA_verify", build: { i in
            set.point(i) { passkey_ec_key_from_point(group, $0.bytePointer, $0.count) }
        }, verify: ecdsaVerify, free: ecFree)
        // What the library does: PublicKey.ec (the route above plus the EVP_PKEY sharing it) and SignatureVerifier.
        let verifier = SignatureVerifier()
        do {
            let b = time(seconds, n) { i in (try? set.publicKey(i)) != nil }
            let c = time(seconds, n) { i in
                guard let key = try? set.publicKey(i) else { return false }
                return set.verifyThroughAPI(verifier, key, i)
            }
            rows.append(Row(algorithm: name, route: "PublicKey.ec + SignatureVerifier.verify (the API: the route above)",
                            buildMicroseconds: b.micros, coldMicroseconds: c.micros, failures: b.failures + c.failures, inUse: true))
        }
        // Hot: the same keys built once.
        let evpKeys = (0..<n).map { i in set.point(i) { passkey_ec_public_key(curve.shimID, $0.bytePointer, $0.count) } }
        let ecKeys = (0..<n).map { i in set.point(i) { passkey_ec_key_from_point(group, $0.bytePointer, $0.count) } }
        defer {
            for k in evpKeys { EVP_PKEY_free(k) }
            for k in ecKeys { if let k { passkey_ec_key_free(k) } }
        }
        let contexts = evpKeys.map { set.context(for: $0) }
        defer { for c in contexts { EVP_PKEY_CTX_free(c) } }
        let hotEVP = time(seconds, n) { i in contexts[i].map { set.verify(context: $0, i) } ?? false }
        let hotEC = time(seconds, n) { i in ecKeys[i].map { set.ecdsaVerify($0, i) } ?? false }
        return (rows, [Ceiling(algorithm: name, route: "EVP_PKEY_verify on a kept context (the ceiling)", hotMicroseconds: hotEVP.micros),
                       Ceiling(algorithm: name, route: "ECDSA_verify on a kept EC_KEY", hotMicroseconds: hotEC.micros)])
    }

    private static func edRoutes(_ set: KeySet, _ seconds: Double) -> ([Row], [Ceiling]) {
        let name = "EdDSA (Ed25519)"
        let n = set.count
        var rows: [Row] = []
        func row(_ route: String, inUse: Bool = false, build: (Int) -> OpaquePointer?) {
            let b = time(seconds, n) { i in
                guard let k = build(i) else { return false }
                EVP_PKEY_free(k)
                return true
            }
            let c = time(seconds, n) { i in
                guard let k = build(i) else { return false }
                defer { EVP_PKEY_free(k) }
                return set.digestVerify(k, i)
            }
            rows.append(Row(algorithm: name, route: route, buildMicroseconds: b.micros, coldMicroseconds: c.micros,
                            failures: b.failures + c.failures, inUse: inUse))
        }
        row("EVP_PKEY_new_raw_public_key + EVP_DigestVerify", inUse: true) { i in
            set.raw(i) { passkey_edwards_public_key(PASSKEY_CURVE_ED25519, $0.bytePointer, $0.count) }
        }
        row("d2i_PUBKEY + EVP_DigestVerify") { i in set.d2i(i) }
        row("OSSL_DECODER (DER SubjectPublicKeyInfo) + EVP_DigestVerify") { i in set.decode(i, type: "ED25519") }
        let kept = (0..<n).map { i in set.raw(i) { passkey_edwards_public_key(PASSKEY_CURVE_ED25519, $0.bytePointer, $0.count) } }
        defer { for k in kept { EVP_PKEY_free(k) } }
        let hot = time(seconds, n) { i in kept[i].map { set.digestVerify($0, i) } ?? false }
        return (rows, [Ceiling(algorithm: name, route: "EVP_DigestVerify on a kept key (the ceiling)", hotMicroseconds: hot.micros)])
    }

    private static func rsaRoutes(_ name: String, _ scheme: SignatureScheme, _ set: KeySet, _ seconds: Double) -> ([Row], [Ceiling]) {
        let n = set.count
        var rows: [Row] = []
        func row(_ route: String, inUse: Bool = false, build: (Int) -> OpaquePointer?) {
            let b = time(seconds, n) { i in
                guard let k = build(i) else { return false }
                EVP_PKEY_free(k)
                return true
            }
            let c = time(seconds, n) { i in
                guard let k = build(i) else { return false }
                defer { EVP_PKEY_free(k) }
                return set.evpVerify(k, i)
            }
            rows.append(Row(algorithm: name, route: route, buildMicroseconds: b.micros, coldMicroseconds: c.micros,
                            failures: b.failures + c.failures, inUse: inUse))
        }
        row("EVP_PKEY_fromdata (OSSL_PARAM_BLD) + EVP_PKEY_verify (the previous route)") { i in set.rsaFromData(i) }
        row("d2i_PUBKEY + EVP_PKEY_verify") { i in set.d2i(i) }
        row("OSSL_DECODER (DER SubjectPublicKeyInfo) + EVP_PKEY_verify") { i in set.decode(i, type: "RSA") }
        let pss: Int32 = if case .rsaPSS = scheme { 1 } else { 0 }
        do {
            let b = time(seconds, n) { i in
                guard let r = set.rsaLegacy(i) else { return false }
                passkey_rsa_legacy_free(r)
                return true
            }
            let c = time(seconds, n) { i in
                guard let r = set.rsaLegacy(i) else { return false }
                defer { passkey_rsa_legacy_free(r) }
                return set.rsaLegacyVerify(r, pss: pss, i)
            }
            rows.append(Row(algorithm: name, route: "legacy RSA_set0_key + \(pss == 1 ? "RSA_public_decrypt + RSA_verify_PKCS1_PSS_mgf1" : "RSA_verify")",
                            buildMicroseconds: b.micros, coldMicroseconds: c.micros, failures: b.failures + c.failures, inUse: false))
        }
        // What the library does: PublicKey.rsa (the route above plus the EVP_PKEY sharing the RSA) and SignatureVerifier.
        do {
            let verifier = SignatureVerifier()
            let b = time(seconds, n) { i in (try? set.rsaPublicKey(i)) != nil }
            let c = time(seconds, n) { i in
                guard let key = try? set.rsaPublicKey(i) else { return false }
                return set.verifyThroughAPI(verifier, key, i)
            }
            rows.append(Row(algorithm: name, route: "PublicKey.rsa + SignatureVerifier.verify (the API: the legacy route above)",
                            buildMicroseconds: b.micros, coldMicroseconds: c.micros, failures: b.failures + c.failures, inUse: true))
        }
        let evpKeys = (0..<n).map { set.rsaFromData($0) }
        let legacy = (0..<n).map { set.rsaLegacy($0) }
        defer {
            for k in evpKeys { EVP_PKEY_free(k) }
            for r in legacy { if let r { passkey_rsa_legacy_free(r) } }
        }
        let contexts = evpKeys.map { set.context(for: $0) }
        defer { for c in contexts { EVP_PKEY_CTX_free(c) } }
        let hotEVP = time(seconds, n) { i in contexts[i].map { set.verify(context: $0, i) } ?? false }
        let hotLegacy = time(seconds, n) { i in legacy[i].map { set.rsaLegacyVerify($0, pss: pss, i) } ?? false }
        return (rows, [Ceiling(algorithm: name, route: "EVP_PKEY_verify on a kept context (the ceiling)", hotMicroseconds: hotEVP.micros),
                       Ceiling(algorithm: name, route: "legacy verify on a kept RSA", hotMicroseconds: hotLegacy.micros)])
    }

    /// Calls `body(i)` for i cycling over `0..<n` until `seconds` have passed (at least one round).
    private static func time(_ seconds: Double, _ n: Int, _ body: (Int) -> Bool) -> (micros: Double, failures: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let budget = Duration.nanoseconds(Int64(max(seconds, 0) * 1e9))
        var count = 0
        var failures = 0
        var elapsed = Duration.zero
        repeat {
            for i in 0..<n where !body(i) { failures += 1 }
            count += n
            elapsed = start.duration(to: clock.now)
        } while elapsed < budget
        let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (s / Double(count) * 1e6, failures)
    }
}

/// Keys of one algorithm with their components, SPKI, a digest or message and a valid signature each.
private struct KeySet {
    let scheme: SignatureScheme
    let components: [PrivateKey.PublicComponents]
    let spki: [[UInt8]]
    let message: [UInt8]
    let digest: [UInt8]
    let signatures: [[UInt8]]
    var count: Int { components.count }

    init(keyCount: Int, make: () throws(CryptoError) -> PrivateKey, scheme: () -> SignatureScheme) throws(CryptoError) {
        var keys: [PrivateKey] = []
        for _ in 0..<keyCount { keys.append(try make()) }
        try self.init(keys: keys, scheme: scheme())
    }

    init(keys: [PrivateKey], scheme: SignatureScheme) throws(CryptoError) {
        self.scheme = scheme
        components = keys.map(\.publicComponents)
        spki = keys.map { $0.publicKey.subjectPublicKeyInfoDER() }
        let message = (0..<69).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        self.message = message
        digest = scheme.hash.map { SignatureVerifier().digest($0, message) } ?? []
        var sigs: [[UInt8]] = []
        for key in keys { sigs.append(try key.sign(self.message, scheme: scheme)) }
        signatures = sigs
    }

    func point<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard case .ec(_, let x, let y) = components[i] else { fatalError("not EC") }
        return ([0x04] + x + y).withUnsafeBytes(body)
    }

    func raw<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard case .edwards(_, let k) = components[i] else { fatalError("not EdDSA") }
        return k.withUnsafeBytes(body)
    }

    func d2i(_ i: Int) -> OpaquePointer? {
        spki[i].withUnsafeBytes { der in
            var cursor = der.bytePointer
            return d2i_PUBKEY(nil, &cursor, der.count)
        }
    }

    func decode(_ i: Int, type: String) -> OpaquePointer? {
        spki[i].withUnsafeBytes { passkey_decoder_public_key($0.bytePointer, $0.count, type) }
    }

    func publicKey(_ i: Int) throws(CryptoError) -> PublicKey {
        guard case .ec(let curve, let x, let y) = components[i] else { fatalError("not EC") }
        return try .ec(curve: curve, x: x, y: y)
    }

    func rsaFromData(_ i: Int) -> OpaquePointer? {
        guard case .rsa(let n, let e) = components[i] else { fatalError("not RSA") }
        return n.withUnsafeBytes { nb in e.withUnsafeBytes { eb in passkey_rsa_public_key(nb.bytePointer, nb.count, eb.bytePointer, eb.count) } }
    }

    func rsaPublicKey(_ i: Int) throws(CryptoError) -> PublicKey {
        guard case .rsa(let n, let e) = components[i] else { fatalError("not RSA") }
        return try .rsa(modulus: n, exponent: e)
    }

    func rsaLegacy(_ i: Int) -> OpaquePointer? {
        guard case .rsa(let n, let e) = components[i] else { fatalError("not RSA") }
        return n.withUnsafeBytes { nb in
            e.withUnsafeBytes { eb in passkey_rsa_legacy_public_key(nb.bytePointer, nb.count, eb.bytePointer, eb.count) }
        }
    }

    func rsaLegacyVerify(_ rsa: OpaquePointer, pss: Int32, _ i: Int) -> Bool {
        let ok = digest.withUnsafeBytes { d in
            signatures[i].withUnsafeBytes { s in
                passkey_rsa_verify(rsa, pss, (scheme.hash ?? .sha256).md, d.bytePointer, d.count, s.bytePointer, s.count) == 1
            }
        }
        if !ok { OpenSSLErrors.clear() }
        return ok
    }

    /// A new context for `pkey`, verify-initialised and configured for the scheme.
    func context(for pkey: OpaquePointer?) -> OpaquePointer? {
        guard let pkey, let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else { return nil }
        var ok = EVP_PKEY_verify_init(ctx) == 1
        switch scheme {
        case .rsaPKCS1v15(let h):
            ok = ok && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, h.md) == 1
        case .rsaPSS(let h):
            ok = ok && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, h.md) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, h.md) == 1 && EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1
        default:
            break
        }
        if ok { return ctx }
        EVP_PKEY_CTX_free(ctx)
        OpenSSLErrors.clear()
        return nil
    }

    func verify(context ctx: OpaquePointer, _ i: Int) -> Bool {
        let ok = digest.withUnsafeBytes { d in
            signatures[i].withUnsafeBytes { s in EVP_PKEY_verify(ctx, s.bytePointer, s.count, d.bytePointer, d.count) == 1 }
        }
        if !ok { OpenSSLErrors.clear() }
        return ok
    }

    /// A fresh context per call (a cold key has none kept).
    func evpVerify(_ pkey: OpaquePointer, _ i: Int) -> Bool {
        guard let ctx = context(for: pkey) else { return false }
        defer { EVP_PKEY_CTX_free(ctx) }
        return verify(context: ctx, i)
    }

    func ecdsaVerify(_ key: OpaquePointer, _ i: Int) -> Bool {
        let ok = digest.withUnsafeBytes { d in
            signatures[i].withUnsafeBytes { s in passkey_ecdsa_verify(d.bytePointer, d.count, s.bytePointer, s.count, key) == 1 }
        }
        if !ok { OpenSSLErrors.clear() }
        return ok
    }

    func verifyThroughAPI(_ verifier: SignatureVerifier, _ key: PublicKey, _ i: Int) -> Bool {
        message.withUnsafeBytes { m in
            signatures[i].withUnsafeBytes { s in
                verifier.verify(signature: s, part1: m, part2: UnsafeRawBufferPointer(start: nil, count: 0), key: key, scheme: scheme) == .valid
            }
        }
    }

    /// One-shot EdDSA on a fresh EVP_MD_CTX.
    func digestVerify(_ pkey: OpaquePointer, _ i: Int) -> Bool {
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1 else {
            OpenSSLErrors.clear()
            return false
        }
        let ok = message.withUnsafeBytes { m in
            signatures[i].withUnsafeBytes { s in EVP_DigestVerify(ctx, s.bytePointer, s.count, m.bytePointer, m.count) == 1 }
        }
        if !ok { OpenSSLErrors.clear() }
        return ok
    }
}
