import Foundation
import Prometheus
import RQStore

/// Everything `GET /metrics` reports and the home page's per-minute rates. Owned by the server,
/// fed by hook calls from the web app, the workers, the queue commands and the group commit;
/// what describes the present (counts, statuses, open connections) is read at scrape time.
///
/// swift-prometheus's registry is used directly rather than through swift-metrics'
/// `MetricsSystem.bootstrap`: that global can be set once per process, which neither several
/// servers in one test process nor a per-server registry allow. The registry's locks are
/// uncontended on the one loop thread.
final class ServerMetrics {
    let registry = PrometheusCollectorRegistry()
    /// Minutes of done/err history kept for pages.
    static let rateMinutes = 10

    private let now: () -> Double
    private var queueGauges: [String: [Gauge]] = [:]
    private var finishedSeries: [String: (done: MinuteSeries, err: MinuteSeries)] = [:]
    /// The registry builds label strings and takes its lock on every lookup: the counters of
    /// the intake path are looked up once per key and kept.
    private var createdCounters: [String: Counter] = [:]
    private var requestCounters: [RequestKey: Counter] = [:]
    private struct RequestKey: Hashable {
        let route: String
        let status: Int
    }
    private let openConnections: Gauge
    private let syncLatency: DurationHistogram

    static let runBuckets: [Duration] = [.milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1),
                                         .seconds(5), .seconds(30), .seconds(60), .seconds(300), .seconds(1800), .seconds(3600)]
    static let syncBuckets: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(2),
                                          .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                          .milliseconds(100), .milliseconds(250), .seconds(1)]

    init(now: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.now = now
        openConnections = registry.makeGauge(name: "rq_http_open_connections", help: "HTTP connections open now")
        syncLatency = registry.makeDurationHistogram(name: "rq_durable_sync_seconds", buckets: Self.syncBuckets,
                                                     help: "Time one group commit (fsyncs or syncfs) took")
    }

    // MARK: hooks

    /// A message entered a queue (create, prep, single_que, clone).
    func messageCreated(queue: String) {
        if let counter = createdCounters[queue] { return counter.increment() }
        let counter = registry.makeCounter(name: "rq_messages_created_total", labels: [("queue", queue)],
                                           help: "Messages created per queue")
        createdCounters[queue] = counter
        counter.increment()
    }

    /// A script's run ended and its message moved to `state` (done, err, relayed or que for
    /// a resend) after `runTime`.
    func messageFinished(queue: String, state: String, runTime: Duration) {
        registry.makeCounter(name: "rq_messages_finished_total", labels: [("queue", queue), ("state", state)],
                             help: "Script runs ended per queue and resulting state").increment()
        registry.makeDurationHistogram(name: "rq_script_run_seconds", labels: [("queue", queue)],
                                       buckets: Self.runBuckets, help: "Run time of queue scripts").record(runTime)
        var series = finishedSeries[queue] ?? (MinuteSeries(length: Self.rateMinutes), MinuteSeries(length: Self.rateMinutes))
        switch state {
        case "done", "relayed": series.done.record(at: now())
        case "err": series.err.record(at: now())
        default: break
        }
        finishedSeries[queue] = series
    }

    func httpRequest(routeClass: String, status: Int) {
        let key = RequestKey(route: routeClass, status: status)
        if let counter = requestCounters[key] { return counter.increment() }
        let counter = registry.makeCounter(name: "rq_http_requests_total", labels: [("route", routeClass), ("status", String(status))],
                                           help: "HTTP requests answered per route class and status")
        requestCounters[key] = counter
        counter.increment()
    }

    func durableSync(_ duration: Duration) { syncLatency.record(duration) }

    // MARK: reading

    /// done (and relayed) and err per minute, oldest first, the last entry the current minute.
    func perMinute(queue: String) -> (done: [Int], err: [Int]) {
        let t = now()
        guard let series = finishedSeries[queue] else {
            let zeros = Array(repeating: 0, count: Self.rateMinutes)
            return (zeros, zeros)
        }
        return (series.done.perMinute(at: t), series.err.perMinute(at: t))
    }

    /// The text exposition: gauges that describe the present are set from `queues` first.
    func exposition(queues: [QueueSnapshot], openConnections connections: Int) -> String {
        openConnections.set(Double(connections))
        let present = Set(queues.map(\.name))
        for (name, gauges) in queueGauges where !present.contains(name) {
            gauges.forEach(registry.unregisterGauge)
            queueGauges[name] = nil
        }
        for queue in queues {
            var gauges: [Gauge] = []
            for (state, count) in queue.counts.byState {
                let gauge = registry.makeGauge(name: "rq_queue_messages", labels: [("queue", queue.name), ("state", state)],
                                               help: "Messages per queue and state")
                gauge.set(Double(count))
                gauges.append(gauge)
            }
            let running = registry.makeGauge(name: "rq_running_scripts", labels: [("queue", queue.name)],
                                             help: "Queue scripts running now")
            running.set(Double(queue.counts.run))
            gauges.append(running)
            for status in [QueueStatus.up, .pause, .down, .scriptError] {
                let gauge = registry.makeGauge(name: "rq_queue_status", labels: [("queue", queue.name), ("status", status.rawValue)],
                                               help: "1 for the queue's current status")
                gauge.set(status == queue.status ? 1.0 : 0.0)
                gauges.append(gauge)
            }
            queueGauges[queue.name] = gauges
        }
        return registry.emitToString()
    }
}
