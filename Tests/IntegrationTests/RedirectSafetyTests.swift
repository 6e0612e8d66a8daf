import Foundation
import Testing

/// The `back` form field through the real server: only paths on this server are followed,
/// anything else lands on the route's own page (no open redirect).
@Suite struct RedirectSafetyTests {
    @Test func backGoesOnlyToPathsOnThisServer() throws {
        let s = try ServerFixture()
        try s.createQueue("rb", paused: true)
        let evil = try s.fetch("/q/rb/adminoper", ["--data", "pause=1&back=https://evil.example/"])
        #expect(evil.status == 303)
        #expect(evil.header("Location") == s.baseURL + "/q/rb")
        let schemeRelative = try s.fetch("/q/rb/restart", ["--data", "back=//evil.example/x"])
        #expect(schemeRelative.header("Location") == s.baseURL + "/q/rb")
        let backslash = try s.fetch("/q/rb/ack_errs", ["--data-urlencode", "back=/\\evil.example"])
        #expect(backslash.header("Location") == s.baseURL + "/q/rb")
        let injected = try s.fetch("/q/rb/new_message", ["--data", "x_format=html&mesg[dest]=rb&back=/q/rb%0d%0aSet-Cookie:%20x=1"])
        #expect(injected.status == 303)
        #expect(injected.header("Location") == s.baseURL + "/q/rb")
        let local = try s.fetch("/q/rb/adminoper", ["--data", "resume=1&back=/q/rb?from=test"])
        #expect(local.header("Location") == s.baseURL + "/q/rb?from=test")
    }
}
