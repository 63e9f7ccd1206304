import Foundation

/// A repository webhook.
public struct Hook: Codable, Sendable, Hashable, Identifiable {
    /// Where and how a hook delivers.
    public struct Config: Codable, Sendable, Hashable {
        /// The payload URL.
        public var url: String?
        /// `json` or `form`.
        public var contentType: String?
        /// The secret; GitHub answers `********`.
        public var secret: String?
        /// `"0"` verifies TLS certificates (default), `"1"` does not.
        public var insecureSSL: String?

        /// Creates a hook configuration.
        public init(url: String?, contentType: String? = "json", secret: String? = nil, insecureSSL: String? = nil) {
            self.url = url
            self.contentType = contentType
            self.secret = secret
            self.insecureSSL = insecureSSL
        }

        private enum CodingKeys: String, CodingKey {
            case url, secret
            case contentType = "content_type"
            case insecureSSL = "insecure_ssl"
        }
    }

    /// The numeric id.
    public var id: Int
    /// Always `web` for repository webhooks.
    public var name: String
    /// Whether deliveries are sent.
    public var active: Bool
    /// The events that trigger a delivery, e.g. `push`.
    public var events: [String]
    /// Where and how it delivers.
    public var config: Config
    /// `Repository`.
    public var type: String?
    /// The hook's API URL.
    public var url: URL?
    /// When it was created.
    public var createdAt: Date?
    /// When it was last changed.
    public var updatedAt: Date?

    /// Creates a hook value (for tests and fixtures).
    public init(id: Int, name: String = "web", active: Bool = true, events: [String], config: Config) {
        self.id = id
        self.name = name
        self.active = active
        self.events = events
        self.config = config
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, active, events, config, type, url
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
