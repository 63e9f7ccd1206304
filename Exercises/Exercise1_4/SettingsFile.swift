import ExerciseSupport
import Foundation
import MokoEnterprise

/// Edits a YAML settings file safely: read with limits, change one value, fill in defaults, write back
/// atomically.
public enum SettingsFile {
    /// Reads a YAML file safely.
    ///
    /// - Parameter url: the file.
    /// - Returns: the document; an empty file is an empty mapping.
    /// - Throws: the library's error for an unreadable, malformed or unsafe file.
    public static func load(_ url: URL) throws -> ConfigValue {
        // TODO: read the file with the library's safe YAML loader (limits on size, depth and aliases),
        // and turn an empty document (`null`) into an empty mapping.
        throw Unimplemented("reading the YAML file (SettingsFile.load(_:))", exercise: "1.4")
    }

    /// Returns `document` with the value at a dot-notation `key` replaced (or added), creating mappings on
    /// the way; sibling keys are kept.
    ///
    /// - Parameters:
    ///   - key: the dot-notation key, e.g. `server.port`.
    ///   - value: the new value.
    ///   - document: the tree to change.
    /// - Returns: the changed tree.
    public static func setting(_ key: String, to value: ConfigValue, in document: ConfigValue) throws -> ConfigValue {
        // TODO: split the key on "." and replace the value at that path, keeping every other key.
        throw Unimplemented("changing one value (SettingsFile.setting(_:to:in:))", exercise: "1.4")
    }

    /// Reads the file, changes `key`, merges `defaults` underneath (values already in the file win) and
    /// writes the result back atomically.
    ///
    /// - Parameters:
    ///   - url: the settings file.
    ///   - key: the dot-notation key to change.
    ///   - value: its new value.
    ///   - defaults: the values a complete file has; missing ones are added.
    /// - Returns: the document that was written.
    /// - Throws: the loader's error when the file is not valid YAML (the file must be left as it was).
    @discardableResult
    public static func update(
        _ url: URL, setting key: String, to value: ConfigValue, defaults: ConfigValue
    ) throws -> ConfigValue {
        // TODO: load → deep-merge the defaults underneath → set the key → render as YAML → write atomically.
        throw Unimplemented(
            "the read-change-write cycle (SettingsFile.update(_:setting:to:defaults:))", exercise: "1.4")
    }
}
