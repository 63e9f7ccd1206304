import Foundation

/// Environment-aware configuration: layered YAML, environment variables and runtime overrides, read with
/// dot notation.
///
/// ## Layers
/// From lowest to highest priority; a higher layer wins key by key, mappings merge, sequences are replaced:
/// 1. **defaults** passed by the program;
/// 2. **files**: `<directory>/<env>.yaml`, then the explicit `configFile` merged on top;
/// 3. **environment variables**: every key known from the layers below can be overridden by
///    `MOKO_` + the key upper-cased with `.` and `-` as `_` (`github.api_url` ← `MOKO_GITHUB_API_URL`);
/// 4. **runtime overrides**: ``set(_:_:)`` and ``applyOverrides(_:)`` (the `--set key=value` flag).
///
/// ``explain(_:)`` names the layer that supplied a key. String values in files may use `${VAR}` and
/// `${VAR:-default}` (default used when `VAR` is unset or empty; `$${` is a literal `${`).
///
/// ## Secrets
/// Keys whose last segment names a secret (token, password, secret, key, credential...) and values
/// that ``SecretRedactor`` recognises are masked in ``description``, ``dump()``, ``explain(_:)``,
/// `dump(config)`/mirrors and error messages. Only ``get(_:)``, the typed getters and
/// ``exportEnvVars(prefix:)`` return them in clear.
///
/// ```swift
/// var config = try Config.load(env: "production")
/// try config.require(["github.organization", "github.token"])
/// let retries = try config.getInt("settings.max_retries", default: 3)
/// config.set("api.timeout", 5.0)
/// ```
public struct Config: Sendable {
    /// The selected environment (`development`, `staging`, `production`...).
    public let environmentName: String

    /// The prefix of the environment variables that override keys, `MOKO_` by default.
    public let envPrefix: String

    private var layers: [Layer]
    private var merged: ConfigValue

    /// One layer of values and where it came from. The environment layer's source names no variable:
    /// ``source(of:)`` derives the variable from the key.
    private struct Layer: Sendable {
        var source: ConfigSource
        var values: ConfigValue
    }

    /// Creates a configuration from in-memory defaults, without reading files or the environment.
    ///
    /// - Parameters:
    ///   - defaults: the lowest layer, a mapping.
    ///   - environmentName: the environment this configuration describes.
    ///   - envPrefix: the prefix used by ``exportEnvVars(prefix:)`` and ``source(of:)``.
    public init(defaults: ConfigValue = [:], environmentName: String = "development", envPrefix: String = "MOKO_") {
        self.environmentName = environmentName
        self.envPrefix = envPrefix
        layers = [Layer(source: .defaults, values: defaults)]
        merged = defaults.mapValue == nil ? [:] : defaults
    }

    // MARK: - Loading

    /// Loads the configuration of an environment.
    ///
    /// The environment is `env`, else `MOKO_ENV` from `environment`, else `development`. The file
    /// `<directory>/<env>.yaml` (or `.yml`) is read when it exists; `configFile`, when given, is merged on
    /// top of it. At least one of the two must exist. Files are parsed with ``YAMLUtilities`` limits
    /// (size, depth, aliases, duplicate keys), then `${VAR}` references are resolved from `environment`.
    ///
    /// - Parameters:
    ///   - env: the environment name; `nil` reads `MOKO_ENV`.
    ///   - configFile: an extra YAML file merged over the environment's file (e.g. from `--config`).
    ///   - directory: the folder of the per-environment files, relative to the current directory.
    ///   - environment: the variables for `MOKO_ENV`, interpolation and the environment layer.
    ///   - defaults: the lowest layer.
    ///   - envPrefix: the prefix of the variables of the environment layer.
    /// - Returns: the loaded configuration.
    /// - Throws: ``ConfigError``: `invalidEnvironmentName`, `fileNotFound`, `invalidFile` (with file, line
    ///   and column), `notAMapping`, `undefinedVariables` (every one at once) or `invalidInterpolation`.
    public static func load(
        env: String? = nil,
        configFile: String? = nil,
        directory: String = "config",
        environment: [String: String] = ProcessInfo.processInfo.environment,
        defaults: ConfigValue = [:],
        envPrefix: String = "MOKO_"
    ) throws -> Config {
        let name = try environmentName(explicit: env, environment: environment)
        var config = Config(defaults: defaults, environmentName: name, envPrefix: envPrefix)

        var files: [String] = []
        let directoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        let candidates = ["yaml", "yml"].map { directoryURL.appendingPathComponent("\(name).\($0)").path }
        if let environmentFile = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            files.append(environmentFile)
        } else if configFile == nil {
            throw ConfigError.fileNotFound(path: candidates[0])
        }
        if let configFile {
            guard FileManager.default.fileExists(atPath: configFile) else {
                throw ConfigError.fileNotFound(path: configFile)
            }
            files.append(configFile)
        }

        var undefined: [ConfigError.VariableReference] = []
        for path in files {
            let values = try loadFile(path)
            let resolved = try ConfigInterpolation.resolve(
                values, source: path, environment: environment, undefined: &undefined)
            config.push(Layer(source: .file(path), values: resolved))
        }
        guard undefined.isEmpty else { throw ConfigError.undefinedVariables(undefined) }

        var fromEnvironment: ConfigValue = [:]
        for (key, _) in config.merged.flattened() {
            if let value = environment[environmentVariableName(for: key, prefix: envPrefix)] {
                fromEnvironment = fromEnvironment.setting(.string(value), at: ConfigValue.segments(of: key)[...])
            }
        }
        if fromEnvironment != [:] {
            config.push(Layer(source: .environmentVariable(""), values: fromEnvironment))
        }
        return config
    }

    private static func environmentName(explicit: String?, environment: [String: String]) throws -> String {
        let chosen = [explicit, environment["MOKO_ENV"]].compactMap { $0 }.first { !$0.isEmpty } ?? "development"
        let allowed = chosen.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "._-".unicodeScalars.contains($0)
        }
        guard allowed, !chosen.hasPrefix("."), !chosen.contains("..") else {
            throw ConfigError.invalidEnvironmentName(chosen)
        }
        return chosen
    }

    private static func loadFile(_ path: String) throws -> ConfigValue {
        let value: ConfigValue
        do {
            value = try YAMLUtilities.safeLoadYAML(URL(fileURLWithPath: path))
        } catch let error as YAMLUtilitiesError {
            if case .unreadable(.notFound) = error { throw ConfigError.fileNotFound(path: path) }
            throw ConfigError.invalidFile(error)
        }
        switch value {
        case .map: return value
        case .null: return [:]
        default: throw ConfigError.notAMapping(path: path, found: value.typeName)
        }
    }

    private mutating func push(_ layer: Layer) {
        layers.append(layer)
        merged = YAMLUtilities.deepMerge(merged, layer.values)
    }

    // MARK: - Reading

    /// The value at a dot-notation key (`"github.api_url"`, `"servers.0.host"`), or `nil` when absent.
    ///
    /// - Parameter key: the dot-separated path.
    /// - Returns: the merged value of every layer.
    public func get(_ key: String) -> ConfigValue? {
        merged.value(at: key)
    }

    /// The value at a key, or `defaultValue` when the key is absent or null.
    ///
    /// - Parameters:
    ///   - key: the dot-separated path.
    ///   - defaultValue: returned when the key is absent or null.
    /// - Returns: the value or the default.
    public func get(_ key: String, default defaultValue: ConfigValue) -> ConfigValue {
        present(key) ?? defaultValue
    }

    /// The value at `key` as text: strings as they are, numbers and booleans written out.
    ///
    /// - Parameter key: the dot-separated path.
    /// - Returns: the text, or `nil` when absent or null.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)`` for a sequence or mapping.
    public func getString(_ key: String) throws -> String? {
        guard let value = present(key) else { return nil }
        switch value {
        case .string, .int, .double, .bool: return value.plainText
        default: throw mismatch(key, expected: "a string", value)
        }
    }

    /// The value at `key` as text, or `defaultValue`.
    ///
    /// - Parameters:
    ///   - key: the dot-separated path.
    ///   - defaultValue: returned when the key is absent or null.
    /// - Returns: the text or the default.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)`` for a sequence or mapping.
    public func getString(_ key: String, default defaultValue: String) throws -> String {
        try getString(key) ?? defaultValue
    }

    /// The value at `key` as an integer: an integer, a float without fraction, or text such as `"42"`.
    ///
    /// - Parameter key: the dot-separated path.
    /// - Returns: the integer, or `nil` when absent or null.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)``.
    public func getInt(_ key: String) throws -> Int? {
        guard let value = present(key) else { return nil }
        switch value {
        case .int(let int): return int
        case .double(let double) where double.rounded() == double && abs(double) < 9e18: return Int(double)
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            if let int = Int(trimmed) { return int }
        default: break
        }
        throw mismatch(key, expected: "an integer", value)
    }

    /// The value at `key` as an integer, or `defaultValue`.
    ///
    /// - Parameters:
    ///   - key: the dot-separated path.
    ///   - defaultValue: returned when the key is absent or null.
    /// - Returns: the integer or the default.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)``.
    public func getInt(_ key: String, default defaultValue: Int) throws -> Int {
        try getInt(key) ?? defaultValue
    }

    /// The value at `key` as a boolean: `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0` (any case).
    ///
    /// `"false"` is `false` — unlike a plain truthiness test, which the original Python version used.
    ///
    /// - Parameter key: the dot-separated path.
    /// - Returns: the boolean, or `nil` when absent or null.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)`` for any other text or type.
    public func getBool(_ key: String) throws -> Bool? {
        guard let value = present(key) else { return nil }
        switch value {
        case .bool(let bool): return bool
        case .int(0): return false
        case .int(1): return true
        case .string(let text):
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: break
            }
        default: break
        }
        throw mismatch(key, expected: "a boolean (true/false, yes/no, on/off, 1/0)", value)
    }

    /// The value at `key` as a boolean, or `defaultValue`.
    ///
    /// - Parameters:
    ///   - key: the dot-separated path.
    ///   - defaultValue: returned when the key is absent or null.
    /// - Returns: the boolean or the default.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)``.
    public func getBool(_ key: String, default defaultValue: Bool) throws -> Bool {
        try getBool(key) ?? defaultValue
    }

    /// The value at `key` as a floating-point number: a float, an integer, or text such as `"2.5"`.
    ///
    /// - Parameter key: the dot-separated path.
    /// - Returns: the number, or `nil` when absent or null.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)``.
    public func getFloat(_ key: String) throws -> Double? {
        guard let value = present(key) else { return nil }
        switch value {
        case .double(let double): return double
        case .int(let int): return Double(int)
        case .string(let text):
            if let double = Double(text.trimmingCharacters(in: .whitespaces)) { return double }
        default: break
        }
        throw mismatch(key, expected: "a number", value)
    }

    /// The value at `key` as a floating-point number, or `defaultValue`.
    ///
    /// - Parameters:
    ///   - key: the dot-separated path.
    ///   - defaultValue: returned when the key is absent or null.
    /// - Returns: the number or the default.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)``.
    public func getFloat(_ key: String, default defaultValue: Double) throws -> Double {
        try getFloat(key) ?? defaultValue
    }

    /// The value at `key` as a sequence.
    ///
    /// Text (as an environment variable or override supplies) is read as a JSON array when it starts
    /// with `[`, otherwise split at commas with whitespace trimmed: `MOKO_REPOS="a, b"` is `["a", "b"]`.
    ///
    /// - Parameter key: the dot-separated path.
    /// - Returns: the elements, or `nil` when absent or null.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)``.
    public func getArray(_ key: String) throws -> [ConfigValue]? {
        guard let value = present(key) else { return nil }
        switch value {
        case .array(let array): return array
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                if let array = try? JSONDecoder().decode([ConfigValue].self, from: Data(trimmed.utf8)) {
                    return array
                }
                break
            }
            if trimmed.isEmpty { return [] }
            return trimmed.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }
        default: break
        }
        throw mismatch(key, expected: "a sequence", value)
    }

    /// The value at `key` as a sequence, or `defaultValue`.
    ///
    /// - Parameters:
    ///   - key: the dot-separated path.
    ///   - defaultValue: returned when the key is absent or null.
    /// - Returns: the elements or the default.
    /// - Throws: ``ConfigError/typeMismatch(key:expected:found:)``.
    public func getArray(_ key: String, default defaultValue: [ConfigValue]) throws -> [ConfigValue] {
        try getArray(key) ?? defaultValue
    }

    /// Every key with a value, flattened to dot notation and sorted.
    public var keys: [String] { merged.flattened().map(\.key) }

    // MARK: - Overrides and validation

    /// Sets a runtime override, the highest layer; creates intermediate mappings as needed.
    ///
    /// - Parameters:
    ///   - key: the dot-separated path.
    ///   - value: the new value.
    public mutating func set(_ key: String, _ value: ConfigValue) {
        let segments = ConfigValue.segments(of: key)[...]
        if let index = layers.lastIndex(where: { $0.source == .override }) {
            layers[index].values = layers[index].values.setting(value, at: segments)
        } else {
            layers.append(Layer(source: .override, values: ConfigValue.map([:]).setting(value, at: segments)))
        }
        merged = merged.setting(value, at: segments)
    }

    /// Applies `key=value` overrides, as given by repeated `--set` flags; values are kept as text and
    /// converted by the typed getters.
    ///
    /// - Parameter assignments: `key=value` strings; the value may contain `=`.
    /// - Throws: ``ConfigError/invalidOverride(_:)`` for an entry without `=` or with an empty key;
    ///   nothing is applied then.
    public mutating func applyOverrides(_ assignments: [String]) throws {
        var parsed: [(String, String)] = []
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else { throw ConfigError.invalidOverride(assignment) }
            let key = assignment[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw ConfigError.invalidOverride(assignment) }
            parsed.append((key, String(assignment[assignment.index(after: equals)...])))
        }
        for (key, value) in parsed { set(key, .string(value)) }
    }

    /// Checks that every key has a value that is not null and not an empty string.
    ///
    /// - Parameter keys: the dot-notation keys the program needs.
    /// - Throws: one ``ConfigError/missingKeys(_:)`` naming every missing key.
    public func require(_ keys: [String]) throws {
        var missing: [String] = []
        for key in keys where !missing.contains(key) {
            guard let value = present(key) else {
                missing.append(key)
                continue
            }
            if value == .string("") { missing.append(key) }
        }
        guard missing.isEmpty else { throw ConfigError.missingKeys(missing) }
    }

    /// Checks that every key with a value is one the program knows, so a typo (`githib.token`) fails at
    /// start-up instead of silently falling back to a default.
    ///
    /// A known key also accepts everything below it: `"labels"` allows `labels.bug` and `labels.docs`.
    ///
    /// - Parameter known: the keys the program reads, in dot notation.
    /// - Throws: one ``ConfigError/unknownKeys(_:)`` naming every unknown key, each with the closest known
    ///   key when the edit distance suggests a typo.
    public func checkKnownKeys(_ known: [String]) throws {
        var unknown: [ConfigError.UnknownKey] = []
        for key in keys where !known.contains(where: { key == $0 || key.hasPrefix($0 + ".") }) {
            let closest = known.map { ($0, Self.editDistance(key, $0)) }.min { $0.1 < $1.1 }
            let suggestion = closest.flatMap { $0.1 <= max(2, key.count / 4) ? $0.0 : nil }
            unknown.append(.init(key: key, suggestion: suggestion))
        }
        guard unknown.isEmpty else { throw ConfigError.unknownKeys(unknown) }
    }

    /// The Levenshtein distance between two keys.
    private static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        guard !left.isEmpty else { return right.count }
        guard !right.isEmpty else { return left.count }
        var previous = Array(0...right.count)
        for (i, leftCharacter) in left.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: right.count)
            for (j, rightCharacter) in right.enumerated() {
                let substitution = previous[j] + (leftCharacter == rightCharacter ? 0 : 1)
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, substitution)
            }
            previous = current
        }
        return previous[right.count]
    }

    // MARK: - Export and provenance

    /// Every leaf as an environment variable: `github.api_url` → `MOKO_GITHUB_API_URL`.
    ///
    /// Sequences and mappings become JSON text, null an empty string. The result holds secrets in clear
    /// (it is meant for a child process's environment): never log it. Setting the variables in this
    /// process is left to the caller (`setenv`), since the environment is process-global.
    ///
    /// - Parameter prefix: prepended to every name.
    /// - Returns: variable names to values.
    public func exportEnvVars(prefix: String = "MOKO_") -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in merged.flattened() {
            result[Self.environmentVariableName(for: key, prefix: prefix)] = value.plainText
        }
        return result
    }

    /// The environment variable that overrides `key`: the prefix plus the key upper-cased, `.` and `-`
    /// replaced by `_`.
    ///
    /// - Parameters:
    ///   - key: a dot-notation key.
    ///   - prefix: the prefix, `MOKO_` by default.
    /// - Returns: e.g. `MOKO_GITHUB_API_URL` for `github.api_url`.
    public static func environmentVariableName(for key: String, prefix: String = "MOKO_") -> String {
        prefix + key.uppercased().map { $0 == "." || $0 == "-" ? "_" : String($0) }.joined()
    }

    /// The layer that supplied the value of `key`, or `nil` when the key is absent.
    ///
    /// For a mapping, the highest layer that contributed to it.
    ///
    /// - Parameter key: the dot-separated path.
    /// - Returns: the supplying layer.
    public func source(of key: String) -> ConfigSource? {
        guard merged.value(at: key) != nil else { return nil }
        for layer in layers.reversed() where layer.values.value(at: key) != nil {
            if case .environmentVariable = layer.source {
                return .environmentVariable(Self.environmentVariableName(for: key, prefix: envPrefix))
            }
            return layer.source
        }
        return nil
    }

    /// One line saying where a key's value comes from, with secrets masked:
    /// `github.token = [REDACTED] (from environment variable MOKO_GITHUB_TOKEN)`.
    ///
    /// - Parameter key: the dot-separated path.
    /// - Returns: the explanation, or a line saying the key is not set in any layer.
    public func explain(_ key: String) -> String {
        guard let value = merged.value(at: key), let source = source(of: key) else {
            let layerNames = layers.map(\.source.description).joined(separator: ", ")
            return "\(key) is not set (layers: \(layerNames); environment variable "
                + "\(Self.environmentVariableName(for: key, prefix: envPrefix)))"
        }
        return "\(key) = \(Self.masked(key: key, value: value)) (from \(source))"
    }

    // MARK: - Secrets

    /// Whether a key names a secret: its last segment contains token, password, passwd, secret,
    /// credential, private or apikey, or has `key`/`keys` as a word (`api_key`, `signingKey`).
    ///
    /// - Parameter key: a dot-notation key.
    /// - Returns: `true` when values of this key must never be printed.
    public static func isSecretKey(_ key: String) -> Bool {
        let last = (key.split(separator: ".").last.map(String.init) ?? key)
        let lowered = last.lowercased()
        let fragments = ["token", "password", "passwd", "secret", "credential", "private", "apikey"]
        if fragments.contains(where: lowered.contains) { return true }
        // Split snake_case, kebab-case and camelCase into words.
        var words: [String] = []
        var current = ""
        for character in last {
            if character == "_" || character == "-" {
                words.append(current)
                current = ""
            } else if character.isUppercase, let previous = current.last, previous.isLowercase {
                words.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
        }
        words.append(current)
        return words.contains { ["key", "keys"].contains($0.lowercased()) }
    }

    /// The value as display text, masked when the key or the text is secret.
    static func masked(key: String, value: ConfigValue) -> String {
        if isSecretKey(key), !value.isNull { return SecretRedactor.marker }
        let text = value.jsonText
        return SecretRedactor.redact(text) == text ? text : SecretRedactor.marker
    }

    /// Every key and its display value, secrets masked, one `key = value` per line, sorted.
    ///
    /// - Returns: the dump, safe to print or log.
    public func dump() -> String {
        merged.flattened().map { "\($0.key) = \(Self.masked(key: $0.key, value: $0.value))" }
            .joined(separator: "\n")
    }

    /// Every key and its display value, secrets masked, for JSON output.
    ///
    /// - Returns: keys to masked JSON-text values.
    public func redactedValues() -> [String: String] {
        Dictionary(uniqueKeysWithValues: merged.flattened().map { ($0.key, Self.masked(key: $0.key, value: $0.value)) })
    }

    // MARK: - Helpers

    /// The value when present and not null.
    private func present(_ key: String) -> ConfigValue? {
        guard let value = merged.value(at: key), !value.isNull else { return nil }
        return value
    }

    private func mismatch(_ key: String, expected: String, _ value: ConfigValue) -> ConfigError {
        .typeMismatch(key: key, expected: expected, found: "\(value.typeName) \(Self.masked(key: key, value: value))")
    }
}

extension Config: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The environment name and every key with secrets masked.
    public var description: String {
        "Config(\(environmentName))\n" + dump()
    }

    /// The same as ``description``: secrets masked.
    public var debugDescription: String { description }

    /// A mirror of the masked values, so `dump(config)` and debuggers never show secrets.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "environmentName": environmentName,
                "values": redactedValues().sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" },
            ])
    }
}
