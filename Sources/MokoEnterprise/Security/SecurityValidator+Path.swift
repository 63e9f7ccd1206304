import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SecurityValidator {
    /// Characters that render like `/`, `\` or `.` and that NFKC or a lenient server may turn into them.
    private static let lookalikes: Set<Unicode.Scalar> = [
        "\u{FF0F}", "\u{2215}", "\u{2044}", "\u{29F8}", "\u{FF3C}", "\u{29F5}", "\u{FE68}", "\u{FF0E}", "\u{2024}",
        "\u{FE52}", "\u{3002}", "\u{FF61}", "\u{2025}", "\u{2026}", "\u{0338}",
    ]

    /// Canonicalises `path` and returns its resolved absolute form when it stays inside `allowedRoot`.
    ///
    /// Steps (OWASP / CWE-22): decode `%XX` exactly once and refuse leftover escapes (double encoding),
    /// malformed escapes and invalid UTF-8 (overlong `%c0%af`); refuse NUL and control characters,
    /// look-alike slashes and dots, backslashes, drive letters and UNC prefixes; NFKC-normalise; refuse
    /// `..` and dots-only components (`....//` collapse tricks); join to the root; resolve symlinks with
    /// `realpath` (for the part that exists); and check containment **by components**, so `/base2` is not
    /// inside `/base`. Names such as `a..b.txt` are fine. An absolute path is accepted only when it
    /// resolves inside the root.
    ///
    /// The file need not exist. As with any check-then-open, open the returned path without following
    /// further symlinks where the platform allows.
    ///
    /// - Returns: the resolved absolute path.
    /// - Throws: ``PathValidationError`` naming the reason.
    @discardableResult
    public func validatePath(_ path: String, allowedRoot: String) throws(PathValidationError) -> String {
        func fail(_ reason: PathValidationError.Reason) -> PathValidationError {
            PathValidationError(path: path, reason: reason)
        }
        guard !path.isEmpty else { throw fail(.empty) }
        try Self.checkCharacters(path, fail: fail)
        // 1. Decode exactly once.
        let decoded = try Self.percentDecodeOnce(path, fail: fail)
        try Self.checkCharacters(decoded, fail: fail)
        if Self.containsPercentEscape(decoded) { throw fail(.doubleEncoding) }
        // 2. NFKC after refusing look-alikes, so nothing new can appear.
        let normalized = decoded.precomposedStringWithCompatibilityMapping
        try Self.checkCharacters(normalized, fail: fail)
        if normalized.contains("\\") { throw fail(.windowsSyntax) }
        let bytes = Array(normalized.utf8)
        if bytes.count >= 2, bytes[1] == UInt8(ascii: ":"),
            (bytes[0] >= 0x41 && bytes[0] <= 0x5A) || (bytes[0] >= 0x61 && bytes[0] <= 0x7A)
        {
            throw fail(.windowsSyntax)
        }
        // 3. Components.
        let components = normalized.split(separator: "/", omittingEmptySubsequences: true)
        for component in components {
            // `..;/` is `../` to servers that strip path parameters (Tomcat).
            let core = component.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if core.count >= 2 && core.allSatisfy({ $0 == "." }) {
                throw fail(.traversalComponent(String(component)))
            }
        }
        // 4. Resolve the root and the path.
        guard let root = Self.realPath(allowedRoot) else { throw fail(.rootUnavailable(allowedRoot)) }
        let joined: String
        if normalized.hasPrefix("/") {
            joined = "/" + components.filter { $0 != "." }.joined(separator: "/")
        } else {
            joined = ([root] + components.filter { $0 != "." }.map(String.init)).joined(separator: "/")
        }
        let resolved = Self.resolveExistingPrefix(joined)
        // 5. Containment by components.
        let rootComponents = root.split(separator: "/")
        let resolvedComponents = resolved.split(separator: "/")
        guard resolvedComponents.count >= rootComponents.count,
            Array(resolvedComponents.prefix(rootComponents.count)) == rootComponents
        else {
            throw fail(.outsideRoot(resolved: resolved))
        }
        return resolved
    }

    private static func checkCharacters(
        _ text: String,
        fail: (PathValidationError.Reason) -> PathValidationError
    ) throws(PathValidationError) {
        for scalar in text.unicodeScalars {
            if scalar == "\0" { throw fail(.nulByte) }
            if scalar.properties.generalCategory == .control { throw fail(.controlCharacter) }
            if lookalikes.contains(scalar) { throw fail(.lookalikeCharacter(String(scalar))) }
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private static func containsPercentEscape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return false }
        for index in 0..<(bytes.count - 2) where bytes[index] == 0x25 {
            if hexValue(bytes[index + 1]) != nil && hexValue(bytes[index + 2]) != nil { return true }
        }
        return false
    }

    private static func percentDecodeOnce(
        _ text: String,
        fail: (PathValidationError.Reason) -> PathValidationError
    ) throws(PathValidationError) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(0x25) else { return text }
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25 {
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                    let low = hexValue(bytes[index + 2])
                else { throw fail(.invalidEncoding) }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        if output.contains(0) { throw fail(.nulByte) }
        guard let decoded = String(validating: output, as: UTF8.self) else { throw fail(.invalidEncoding) }
        return decoded
    }

    /// `realpath(3)` of `path`, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Resolves the longest existing prefix of `path` with `realpath` and appends the rest; the rest
    /// holds no `..` (refused earlier), so it cannot climb. A dangling symlink on the way is followed by
    /// hand, so a link to a not-yet-existing file outside the root is still seen as outside.
    private static func resolveExistingPrefix(_ path: String, depth: Int = 0) -> String {
        var components = path.split(separator: "/").map(String.init)
        var rest: [String] = []
        while true {
            let candidate = "/" + components.joined(separator: "/")
            if let resolved = realPath(candidate) {
                guard !rest.isEmpty else { return resolved }
                return (resolved == "/" ? "" : resolved) + "/" + rest.reversed().joined(separator: "/")
            }
            if depth < 40, let target = danglingLinkTarget(candidate) {
                let parent = "/" + components.dropLast().joined(separator: "/")
                let absolute = target.hasPrefix("/") ? target : parent + "/" + target
                let remainder = rest.reversed().joined(separator: "/")
                return resolveExistingPrefix(
                    remainder.isEmpty ? absolute : absolute + "/" + remainder, depth: depth + 1)
            }
            guard let last = components.popLast() else { return path }
            rest.append(last)
        }
    }

    /// The target of `path` when it is a symbolic link, else nil.
    private static func danglingLinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4_097)
        let length = readlink(path, &buffer, 4_096)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
