import NIOCore
import NIOPosix

/// Runs the gRPC server's tasks on the event loop that wakes them: a job enqueued on an event-loop thread (the
/// connection's loop, when a request arrives) runs on that loop, one enqueued anywhere else on the group's next
/// loop. Calls then start and finish on the loop that read them, like frames on the framed listeners (verification
/// inline, large batches on the worker pool), instead of hopping to Swift's cooperative pool and back for every call.
final class EventLoopTaskExecutor: TaskExecutor {
    let group: MultiThreadedEventLoopGroup

    init(group: MultiThreadedEventLoopGroup) { self.group = group }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.next()
        loop.execute { unowned.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
