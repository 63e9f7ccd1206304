/// The layer that supplied a configuration value, as reported by ``Config/source(of:)``.
///
/// Layers from lowest to highest priority: ``defaults``, ``file(_:)`` (the environment's file, then an
/// explicit `configFile`), ``environmentVariable(_:)``, ``override``.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    /// The defaults passed to ``Config/load(env:configFile:directory:environment:defaults:envPrefix:)``.
    case defaults
    /// A YAML file, by path.
    case file(String)
    /// An environment variable, by name (e.g. `MOKO_GITHUB_API_URL`).
    case environmentVariable(String)
    /// A runtime override: ``Config/set(_:_:)`` or a `--set key=value` flag.
    case override

    /// `defaults`, `file config/development.yaml`, `environment variable MOKO_X`, `runtime override`.
    public var description: String {
        switch self {
        case .defaults: "defaults"
        case .file(let path): "file \(path)"
        case .environmentVariable(let name): "environment variable \(name)"
        case .override: "runtime override"
        }
    }
}
