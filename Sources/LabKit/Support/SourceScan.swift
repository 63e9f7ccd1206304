import Foundation

/// Reads Swift sources as text: files of a folder, check methods, markers.
public enum SourceScan {
    /// The `.swift` files under `folder` (recursively), sorted by path; empty when it does not exist.
    public static func swiftFiles(in folder: URL) -> [URL] {
        files(in: folder).filter { $0.pathExtension == "swift" }
    }

    /// Every regular file under `folder` (recursively), sorted by path; empty when it does not exist.
    public static func files(in folder: URL) -> [URL] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [])
        else { return [] }
        var found: [URL] = []
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            found.append(url)
        }
        return found.sorted { $0.path < $1.path }
    }

    /// The XCTest methods (`func test...(`) a source declares, in order.
    public static func checkMethods(in source: String) -> [String] {
        source.split(separator: "\n").compactMap { line in
            line.firstMatch(of: #/^\s*(?:@\w+\s+)*func (test\w*)\(/#).map { String($0.1) }
        }
    }
}
