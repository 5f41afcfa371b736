extension Array where Element == UInt8 {
    /// `withUnsafeBytes` that keeps a typed error (the standard one is `rethrows`, which erases it).
    @inlinable
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { bytes in Result { () throws(E) -> R in try body(bytes) } }
        return try result.get()
    }
}
