// Fuzz target `tpm`: the TPM structure parsers of PasskeyAttestationData. The first input byte picks the parser
// (mod 4), the rest is the structure: 0 TPMSAttest (certInfo), 1 TPMTPublic (pubArea), 2 TPMDeviceAttributes (an AIK
// subjectAltName), 3 the extendedKeyUsage reader.
// Invariants: every range a parser returns lies inside the input; each format is canonical, so an accepted
// structure re-serialised from its parsed fields is the input, byte for byte (TPM structures: fixed fields and
// exact TPM2B sizes; the subjectAltName: DER in the encoding the parser reports, multi-valued RDNs in SET order);
// values respect their limits; errors are TPMStructureError (typed throws) and never traps.
import PasskeyAttestationData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { input in
        guard let selector = input.first else { return }
        let body = UnsafeRawBufferPointer(rebasing: input[1...])
        switch selector % 4 {
        case 0: attest(body)
        case 1: publicArea(body)
        case 2: deviceAttributes(Array(body))
        default: keyUsage(Array(body))
        }
    }
    return 0
}

private func attest(_ b: UnsafeRawBufferPointer) {
    guard let a = try? TPMSAttest(parsing: b) else { return }
    for r in [a.qualifiedSigner, a.extraData, a.attestedName, a.attestedQualifiedName] { inside(r, b) }
    var out = be32(a.magic) + be16(a.type) + tpm2b(a.qualifiedSigner, b) + tpm2b(a.extraData, b)
    out += be64(a.clock) + be32(a.resetCount) + be32(a.restartCount) + [a.safe] + be64(a.firmwareVersion)
    out += tpm2b(a.attestedName, b) + tpm2b(a.attestedQualifiedName, b)
    guard a.type == TPMConstant.attestCertify, a.safe <= 1 else { fuzzFail("TPMSAttest accepted type/safe it refuses") }
    same(out, b, "TPMSAttest")
}

private func publicArea(_ b: UnsafeRawBufferPointer) {
    guard let p = try? TPMTPublic(parsing: b) else { return }
    inside(p.authPolicy, b)
    var out = be16(p.type) + be16(p.nameAlg) + be32(p.objectAttributes) + tpm2b(p.authPolicy, b)
    out += be16(p.symmetric.algorithm)
    guard (p.symmetric.keyBits == nil) == (p.symmetric.mode == nil),
          (p.symmetric.keyBits == nil) == (p.symmetric.algorithm == TPMAlgorithm.null)
    else { fuzzFail("TPMSymmetricDefinition details disagree with its algorithm") }
    if let bits = p.symmetric.keyBits, let mode = p.symmetric.mode { out += be16(bits) + be16(mode) }
    out += scheme(p.scheme)
    switch p.key {
    case let .rsa(keyBits, exponent, modulus):
        guard p.type == TPMAlgorithm.rsa else { fuzzFail("RSA key under type \(p.type)") }
        inside(modulus, b)
        out += be16(keyBits) + be32(exponent) + tpm2b(modulus, b)
    case let .ecc(curveID, kdf, x, y):
        guard p.type == TPMAlgorithm.ecc else { fuzzFail("ECC key under type \(p.type)") }
        inside(x, b)
        inside(y, b)
        out += be16(curveID) + scheme(kdf) + tpm2b(x, b) + tpm2b(y, b)
    }
    same(out, b, "TPMTPublic")
}

private func scheme(_ s: TPMScheme) -> [UInt8] {
    if s.count != nil, s.hashAlg == nil { fuzzFail("a scheme with a count but no hash") }
    return be16(s.algorithm) + (s.hashAlg.map(be16) ?? []) + (s.count.map(be16) ?? [])
}

private func deviceAttributes(_ der: [UInt8]) {
    guard let d = try? TPMDeviceAttributes(subjectAltName: der) else { return }
    let values: [TPMDeviceAttributes.Attribute: String] = [.manufacturer: d.manufacturer, .model: d.model, .version: d.version]
    guard Set(d.order).count == 3, d.order.count == 3 else { fuzzFail("device attributes not each exactly once") }
    for v in values.values where v.utf8.isEmpty || v.utf8.count > TPMDeviceAttributes.maximumValueByteCount {
        fuzzFail("device attribute of \(v.utf8.count) bytes accepted")
    }
    let atvs = d.order.map { a in tlv(0x30, tlv(0x06, a.oidContents) + tlv(0x0C, Array(values[a]!.utf8))) }
    let name: [UInt8]
    switch d.encoding {
    case .attributePerRDN:
        name = tlv(0x30, atvs.flatMap { tlv(0x31, $0) })
    case .multiValuedRDN:
        for (x, y) in zip(atvs, atvs.dropFirst()) where setOrder(y, x) { fuzzFail("multi-valued RDN accepted out of SET order") }
        name = tlv(0x30, tlv(0x31, atvs.flatMap { $0 }))
    }
    let out = tlv(0x30, tlv(0xA4, name))
    guard out == der else { fuzzFail("TPMDeviceAttributes re-encodes to \(out.count) bytes that differ from the \(der.count) parsed") }
}

private func keyUsage(_ der: [UInt8]) {
    let aik = TPMCertificateExtensions.aikCertificatePurpose
    guard let found = try? TPMCertificateExtensions.extendedKeyUsage(der, contains: aik) else { return }
    // The EKU reader accepts only DER: a SEQUENCE (short or long length) of OIDs, so the purpose is found exactly
    // when its encoding appears as an element.
    let element = [0x06, UInt8(aik.count)] + aik
    var appears = false
    if der.count >= element.count {
        for i in 0...(der.count - element.count) where der[i..<i + element.count].elementsEqual(element) { appears = true }
    }
    if found, !appears { fuzzFail("extendedKeyUsage reported a purpose whose encoding is not in the input") }
}

// MARK: - Re-serialisation helpers

private func inside(_ r: Range<Int>, _ b: UnsafeRawBufferPointer) {
    guard r.lowerBound >= 0, r.upperBound <= b.count else { fuzzFail("range \(r) outside an input of \(b.count) bytes") }
}

private func same(_ out: [UInt8], _ b: UnsafeRawBufferPointer, _ what: String) {
    guard out.count == b.count, out.elementsEqual(b) else {
        fuzzFail("\(what) re-serialises to \(out.count) bytes that differ from the \(b.count) parsed")
    }
}

private func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
private func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
private func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
private func tpm2b(_ r: Range<Int>, _ b: UnsafeRawBufferPointer) -> [UInt8] { be16(UInt16(r.count)) + Array(b[r]) }

private func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    let n = content.count
    if n < 0x80 { return [tag, UInt8(n)] + content }
    if n <= 0xFF { return [tag, 0x81, UInt8(n)] + content }
    return [tag, 0x82, UInt8(n >> 8), UInt8(n & 0xFF)] + content
}

/// X.690 §11.6 order: a < b.
private func setOrder(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    for i in 0..<max(a.count, b.count) {
        let x = i < a.count ? a[i] : 0, y = i < b.count ? b[i] : 0
        if x != y { return x < y }
    }
    return false
}
