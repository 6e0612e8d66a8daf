// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "rq-swift",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rq-server", targets: ["rq-server"]),
        .executable(name: "rq", targets: ["rq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libevent, reached only through RQLoop.
        .systemLibrary(name: "CEvent", pkgConfig: "libevent", providers: [.apt(["libevent-dev"])]),
        // nodejs/http-parser, used by RQLoop's HTTP server.
        .systemLibrary(name: "CHTTPParser", providers: [.apt(["libhttp-parser-dev"])]),
        // vfork+exec of queue scripts with the RQ START header written by the child;
        // reached only through RQLoop.
        .target(name: "CSpawn"),
        // Wire formats shared by the server and the CLI (no libevent, no sockets).
        .target(name: "RQWire"),
        .target(name: "RQLoop", dependencies: [
            "RQWire", "CEvent", "CHTTPParser", "CSpawn",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "RQStore", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Collections", package: "swift-collections"),
        ]),
        .target(name: "RQServer", dependencies: [
            "RQLoop", "RQStore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], resources: [
            // Compiled into the binary: rq-server serves its pages and assets with no files
            // beside it and no bundle lookup at run time.
            .embedInCode("Web/Templates"),
            .embedInCode("Web/Assets"),
        ]),
        .executableTarget(name: "rq-server", dependencies: [
            "RQServer", "RQStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "rq", dependencies: [
            "RQStore", "RQWire",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RQWireTests", dependencies: ["RQWire"]),
        .testTarget(name: "RQLoopTests", dependencies: ["RQLoop", "RQWire", "TestSupport"]),
        .testTarget(name: "RQStoreTests", dependencies: ["RQStore", "TestSupport"]),
        .testTarget(name: "RQServerTests", dependencies: [
            "RQServer", "RQStore", "RQLoop", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "IntegrationTests", dependencies: ["rq-server", "rq", "RQStore", "RQLoop", "RQWire", "TestSupport"], exclude: ["Scripts"]),
    ]
)
