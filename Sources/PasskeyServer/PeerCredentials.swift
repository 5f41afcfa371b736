import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the peer's UID of a Unix-domain connection (SO_PEERCRED).
enum PeerCredentials {
    /// The peer UID, or nil when it cannot be read (not a Unix socket, not Linux).
    static func uid(of channel: Channel) -> EventLoopFuture<UInt32?> {
        #if os(Linux)
            guard let provider = channel as? SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(nil) }
            let future: EventLoopFuture<PeerCred> = provider.unsafeGetSocketOption(
                level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
            return future.map { Optional($0.uid) }.recover { _ in nil }
        #else
            return channel.eventLoop.makeSucceededFuture(nil)
        #endif
    }
}

/// `struct ucred` from <sys/socket.h> (Glibc hides it behind _GNU_SOURCE): pid, uid, gid.
struct PeerCred {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
