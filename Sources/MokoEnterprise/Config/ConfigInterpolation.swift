/// Resolves `${VAR}` and `${VAR:-default}` in the string values of a configuration file.
///
/// `${VAR:-default}` uses the default when `VAR` is unset or empty, as a POSIX shell does; `$${` is a
/// literal `${`; a `$` not followed by `{` is kept. Variable names are `[A-Za-z_][A-Za-z0-9_]*`.
enum ConfigInterpolation {
    /// Returns `value` with every string resolved; undefined variables are collected in `undefined`
    /// (so one error can name all of them) and replaced by an empty string.
    static func resolve(
        _ value: ConfigValue, source: String, environment: [String: String],
        undefined: inout [ConfigError.VariableReference], key: String = ""
    ) throws -> ConfigValue {
        switch value {
        case .string(let text):
            return .string(
                try resolveString(text, key: key, source: source, environment: environment, undefined: &undefined))
        case .array(let values):
            var resolved: [ConfigValue] = []
            for (index, element) in values.enumerated() {
                resolved.append(
                    try resolve(
                        element, source: source, environment: environment, undefined: &undefined,
                        key: key.isEmpty ? String(index) : "\(key).\(index)"))
            }
            return .array(resolved)
        case .map(let map):
            var resolved: [String: ConfigValue] = [:]
            for (childKey, element) in map {
                resolved[childKey] = try resolve(
                    element, source: source, environment: environment, undefined: &undefined,
                    key: key.isEmpty ? childKey : "\(key).\(childKey)")
            }
            return .map(resolved)
        default:
            return value
        }
    }

    static func resolveString(
        _ text: String, key: String, source: String, environment: [String: String],
        undefined: inout [ConfigError.VariableReference]
    ) throws -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("$${") {
                result += "${"
                index = text.index(index, offsetBy: 3)
            } else if rest.hasPrefix("${") {
                guard let close = rest.firstIndex(of: "}") else {
                    throw ConfigError.invalidInterpolation(key: key, source: source, expression: String(rest))
                }
                let expression = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
                let name: String
                let fallback: String?
                if let separator = expression.range(of: ":-") {
                    name = String(expression[..<separator.lowerBound])
                    fallback = String(expression[separator.upperBound...])
                } else {
                    name = expression
                    fallback = nil
                }
                guard isVariableName(name) else {
                    throw ConfigError.invalidInterpolation(
                        key: key, source: source, expression: "${\(expression)}")
                }
                if let value = environment[name], !(value.isEmpty && fallback != nil) {
                    result += value
                } else if let fallback {
                    result += fallback
                } else {
                    undefined.append(.init(variable: name, key: key, source: source))
                }
                index = text.index(after: close)
            } else {
                result.append(text[index])
                index = text.index(after: index)
            }
        }
        return result
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
