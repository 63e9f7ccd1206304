/// Rewrites the absolute paths of compiler output: files of the exercise relative to its folder, other files
/// of the lab relative to the lab folder. Keeps everything else (and every newline) as it is.
public struct PathDisplay: Sendable {
    /// Absolute folder prefixes, longest first, each with what replaces it.
    private let replacements: [(prefix: String, replacement: String)]

    /// - Parameters:
    ///   - roots: the lab folder's absolute path, as printed by the compiler (give both the plain and the
    ///     symlink-resolved spelling when they differ).
    ///   - exerciseFolder: the exercise's folder relative to the lab folder, e.g. `Exercises/Exercise1_3`.
    public init(roots: [String], exerciseFolder: String?) {
        var replacements: [(String, String)] = []
        for root in Set(roots.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }) where !root.isEmpty {
            if let exerciseFolder { replacements.append((root + "/" + exerciseFolder + "/", "")) }
            replacements.append((root + "/", ""))
        }
        self.replacements = replacements.sorted { $0.0.count > $1.0.count }
    }

    /// `text` with the lab's absolute paths made relative.
    public func display(_ text: String) -> String {
        var result = text
        for (prefix, replacement) in replacements {
            result = result.replacingOccurrences(of: prefix, with: replacement)
        }
        return result
    }
}
