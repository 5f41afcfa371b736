internal import CPasskeyProto
import PasskeyCrypto
import PasskeyMetadata

extension WireExecutor {
    /// ServerInfo's metadata fields: the BLOB the server-wide attestation policy's store holds now.
    func fillMetadata(_ info: UnsafeMutablePointer<Passkeyd__V1__ServerInfoResponse>) {
        guard let index = registry.attestationDefaults.metadata?.index else { return }
        info.pointee.metadata_loaded = 1
        info.pointee.metadata_number = UInt64(max(0, index.number))
        info.pointee.metadata_next_update = cString(index.nextUpdate)
        info.pointee.metadata_stale = index.isStale(at: WallClock.now()) ? 1 : 0
        info.pointee.metadata_entries = UInt32(clamping: index.count)
    }
}
