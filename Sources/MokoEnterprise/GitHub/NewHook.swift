/// A webhook to create: `POST /repos/{owner}/{repo}/hooks`.
public struct NewHook: Codable, Sendable, Hashable {
    /// Must be `web`.
    public var name: String
    /// Where and how it delivers (``Hook/Config/url`` is required).
    public var config: Hook.Config
    /// The events that trigger it (GitHub's default is `["push"]`).
    public var events: [String]?
    /// Whether it delivers (default true).
    public var active: Bool?

    /// Creates a webhook description.
    ///
    /// - Parameters:
    ///   - url: the payload URL.
    ///   - events: the triggering events.
    ///   - contentType: `json` or `form`.
    ///   - secret: the HMAC secret.
    ///   - active: whether it delivers.
    public init(
        url: String, events: [String]? = ["push"], contentType: String = "json", secret: String? = nil,
        active: Bool? = true
    ) {
        self.name = "web"
        self.config = Hook.Config(url: url, contentType: contentType, secret: secret)
        self.events = events
        self.active = active
    }
}
