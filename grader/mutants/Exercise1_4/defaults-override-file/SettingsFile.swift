// MUTANT defaults-override-file: merges in the wrong order, so a default replaces a value the file
// already had. Caught by Exercise1_4HiddenChecks.test2_valuesInTheFileWinOverDefaults.

import Foundation
import MokoEnterprise

/// Edits a YAML settings file safely: read with limits, change one value, fill in defaults, write back
/// atomically.
///
/// ```swift
/// let written = try SettingsFile.update(
///     URL(fileURLWithPath: "settings.yaml"), setting: "server.port", to: 8443,
///     defaults: ["server": ["host": "localhost", "port": 8080], "log": ["level": "info"]])
/// ```
public enum SettingsFile {
    /// Reads a YAML file with ``YAMLUtilities/safeLoadYAML(_:maxBytes:maxDepth:maxAliases:maxNodes:)``.
    ///
    /// Never use `Yams.load` directly on files you did not write: the safe loader bounds size, depth and
    /// aliases ("billion laughs") and reports the line and column of a syntax error.
    ///
    /// - Parameter url: the file.
    /// - Returns: the document; an empty file is an empty mapping.
    /// - Throws: ``YAMLUtilitiesError`` for an unreadable, malformed or unsafe file.
    public static func load(_ url: URL) throws -> ConfigValue {
        let document = try YAMLUtilities.safeLoadYAML(url)
        return document.isNull ? [:] : document
    }

    /// Returns `document` with the value at a dot-notation `key` replaced (or added), creating the
    /// mappings on the way: `setting("server.tls.enabled", to: true, in: ["server": ["port": 80]])` gives
    /// `["server": ["port": 80, "tls": ["enabled": true]]]`. Siblings are kept.
    ///
    /// - Parameters:
    ///   - key: the dot-notation key, e.g. `server.port`.
    ///   - value: the new value.
    ///   - document: the tree to change (a value, not a reference: the caller's copy is untouched).
    /// - Returns: the changed tree.
    public static func setting(_ key: String, to value: ConfigValue, in document: ConfigValue) throws -> ConfigValue {
        set(key.split(separator: ".").map(String.init)[...], to: value, in: document)
    }

    /// Reads the file, changes `key`, merges `defaults` underneath (values already in the file win) and
    /// writes the result back atomically.
    ///
    /// Nothing is written unless every step before succeeded, and ``FileUtilities/atomicWrite(_:to:permissions:)``
    /// replaces the file in one rename: a crash leaves the old file or the new one, never half of each.
    ///
    /// - Parameters:
    ///   - url: the settings file.
    ///   - key: the dot-notation key to change.
    ///   - value: its new value.
    ///   - defaults: the values a complete file has; missing ones are added.
    /// - Returns: the document that was written.
    /// - Throws: ``YAMLUtilitiesError`` when the file is not valid YAML (the file is left as it was), or
    ///   ``FileUtilitiesError`` when writing fails.
    @discardableResult
    public static func update(
        _ url: URL, setting key: String, to value: ConfigValue, defaults: ConfigValue
    ) throws -> ConfigValue {
        let current = try load(url)
        // deepMerge(base, override): the file overrides the defaults, key by key.
        let completed = YAMLUtilities.deepMerge(current, defaults)
        let changed = try setting(key, to: value, in: completed)
        try FileUtilities.atomicWrite(try YAMLUtilities.dumpYAML(changed), to: url)
        return changed
    }

    private static func set(_ path: ArraySlice<String>, to value: ConfigValue, in node: ConfigValue) -> ConfigValue {
        guard let head = path.first else { return value }
        // A scalar in the way is replaced by a mapping; an existing mapping keeps its other keys.
        var map = node.mapValue ?? [:]
        map[head] = set(path.dropFirst(), to: value, in: map[head] ?? [:])
        return .map(map)
    }
}
