import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// A temporary `config/` folder with YAML files, for one test.
private struct ConfigTestFolder {
    let root: TemporaryDirectory

    init(_ files: [String: String]) throws {
        root = try TemporaryDirectory(prefix: "config-tests")
        try FileManager.default.createDirectory(at: root.appending("config"), withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: root.appending(name), atomically: true, encoding: .utf8)
        }
    }

    var directory: String { root.appending("config").path }
    func path(_ name: String) -> String { root.appending(name).path }
}

@Suite struct ConfigTests {
    // MARK: - require

    @Test func requireNamesEveryMissingKeyInOneError() throws {
        let config = Config(defaults: ["github": ["organization": "acme", "token": ""], "settings": ["retries": nil]])
        #expect(throws: ConfigError.missingKeys(["github.token", "settings.retries", "database.host"])) {
            try config.require(["github.organization", "github.token", "settings.retries", "database.host"])
        }
        do {
            try config.require(["github.token", "database.host"])
            Issue.record("require should have thrown")
        } catch let error as ConfigError {
            let message = error.description
            #expect(message.contains("github.token") && message.contains("database.host"))
        }
        try config.require(["github.organization"])
    }

    @Test func unknownKeysAreAllReportedWithSuggestions() throws {
        let config = Config(defaults: [
            "github": ["organisation": "acme", "token": "t"], "labels": ["bug": "red"], "zzz_unrelated": 1,
        ])
        #expect(
            throws: ConfigError.unknownKeys([
                .init(key: "github.organisation", suggestion: "github.organization"),
                .init(key: "zzz_unrelated", suggestion: nil),
            ])
        ) {
            try config.checkKnownKeys(["github.organization", "github.token", "labels"])
        }
        try config.checkKnownKeys(["github.organisation", "github.token", "labels", "zzz_unrelated"])
    }

    // MARK: - Interpolation

    @Test func interpolationUsesTheEnvironmentAndDefaults() throws {
        let folder = try ConfigTestFolder([
            "config/development.yaml": """
            github:
              token: ${GITHUB_TOKEN}
              api_url: ${GITHUB_API_URL:-https://api.github.com}
              org: ${ORG:-fallback}
            banner: "cost: $5, literal: $${HOME}"
            mixed: ${A}-${B:-b}
            """
        ])
        let config = try Config.load(
            directory: folder.directory,
            environment: ["GITHUB_TOKEN": "t0k3n-value", "ORG": "", "A": "a"])
        #expect(config.get("github.token") == "t0k3n-value")
        #expect(config.get("github.api_url") == "https://api.github.com")
        #expect(config.get("github.org") == "fallback", "an empty variable uses the :- default")
        #expect(config.get("banner") == "cost: $5, literal: ${HOME}")
        #expect(config.get("mixed") == "a-b")
    }

    @Test func undefinedVariablesAreAllNamedWithTheirKeys() throws {
        let folder = try ConfigTestFolder([
            "config/development.yaml": """
            github:
              token: ${GITHUB_TOKEN}
            database:
              password: ${DB_PASSWORD}
            """
        ])
        let file = folder.directory + "/development.yaml"
        #expect(
            throws: ConfigError.undefinedVariables(
                [
                    .init(variable: "DB_PASSWORD", key: "database.password", source: file),
                    .init(variable: "GITHUB_TOKEN", key: "github.token", source: file),
                ].sorted { $0.variable < $1.variable })
        ) {
            do {
                _ = try Config.load(directory: folder.directory, environment: [:])
            } catch ConfigError.undefinedVariables(let references) {
                throw ConfigError.undefinedVariables(references.sorted { $0.variable < $1.variable })
            }
        }
        do {
            _ = try Config.load(directory: folder.directory, environment: [:])
        } catch let error as ConfigError {
            #expect(error.description.contains("GITHUB_TOKEN (used by github.token in \(file))"))
            #expect(CliFramework.exitCode(for: error) == .configuration)
        }
    }

    @Test func malformedInterpolationIsAClearError() throws {
        let folder = try ConfigTestFolder(["config/development.yaml": "url: ${API_URL\n"])
        #expect(throws: ConfigError.self) { try Config.load(directory: folder.directory, environment: [:]) }
        do {
            _ = try Config.load(directory: folder.directory, environment: [:])
        } catch let error as ConfigError {
            guard case .invalidInterpolation(let key, _, let expression) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(key == "url")
            #expect(expression == "${API_URL")
        }
    }

    // MARK: - Environment selection and files

    @Test func environmentComesFromTheArgumentThenMokoEnvThenDevelopment() throws {
        let folder = try ConfigTestFolder([
            "config/development.yaml": "name: dev\n",
            "config/staging.yaml": "name: staging\n",
            "config/production.yaml": "name: prod\n",
        ])
        let explicit = try Config.load(
            env: "production", directory: folder.directory, environment: ["MOKO_ENV": "staging"])
        #expect(explicit.environmentName == "production")
        #expect(explicit.get("name") == "prod")

        let fromVariable = try Config.load(directory: folder.directory, environment: ["MOKO_ENV": "staging"])
        #expect(fromVariable.environmentName == "staging")
        #expect(fromVariable.get("name") == "staging")

        let fallback = try Config.load(directory: folder.directory, environment: [:])
        #expect(fallback.environmentName == "development")
        #expect(fallback.get("name") == "dev")
    }

    @Test func committedFixturesLoadPerEnvironment() throws {
        let directory = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/config").path
        let production = try Config.load(
            env: "production", directory: directory, environment: ["GITHUB_TOKEN": "abc"])
        #expect(try production.getInt("settings.max_retries") == 5)
        #expect(try production.getBool("cache.enabled") == true)
        let development = try Config.load(directory: directory, environment: ["GITHUB_TOKEN": "abc"])
        #expect(try development.getString("logging.level") == "DEBUG")
        #expect(try development.getBool("cache.enabled") == false)
    }

    @Test func missingFilesAndUnsafeEnvironmentNamesAreClearErrors() throws {
        let folder = try ConfigTestFolder(["config/development.yaml": "a: 1\n"])
        #expect(throws: ConfigError.fileNotFound(path: folder.directory + "/production.yaml")) {
            try Config.load(env: "production", directory: folder.directory, environment: [:])
        }
        #expect(throws: ConfigError.invalidEnvironmentName("../../etc/passwd")) {
            try Config.load(env: "../../etc/passwd", directory: folder.directory, environment: [:])
        }
        #expect(throws: ConfigError.fileNotFound(path: folder.path("nope.yaml"))) {
            try Config.load(configFile: folder.path("nope.yaml"), directory: folder.directory, environment: [:])
        }
    }

    @Test func explicitConfigFileMergesOverTheEnvironmentFile() throws {
        let folder = try ConfigTestFolder([
            "config/development.yaml": "github:\n  org: acme\n  api_url: https://api.github.com\nlist: [1, 2, 3]\n",
            "extra.yaml": "github:\n  org: override-org\nlist: [9]\n",
        ])
        let config = try Config.load(
            configFile: folder.path("extra.yaml"), directory: folder.directory, environment: [:])
        #expect(config.get("github.org") == "override-org")
        #expect(config.get("github.api_url") == "https://api.github.com", "mappings merge")
        #expect(config.get("list") == [9], "sequences are replaced, not concatenated")
        #expect(config.source(of: "github.org") == .file(folder.path("extra.yaml")))
        #expect(config.source(of: "github.api_url") == .file(folder.directory + "/development.yaml"))
    }

    @Test func invalidYAMLInAConfigFileReportsFileAndLine() throws {
        let folder = try ConfigTestFolder(["config/development.yaml": "a: 1\nb: [1, 2\nc: 3\n"])
        do {
            _ = try Config.load(directory: folder.directory, environment: [:])
            Issue.record("expected an error")
        } catch ConfigError.invalidFile(let error) {
            #expect(error.description.hasPrefix(folder.directory + "/development.yaml:"))
            #expect(error.line != nil)
        }
    }

    // MARK: - Layers

    @Test func layersApplyDefaultsThenFileThenEnvironmentThenOverrides() throws {
        let folder = try ConfigTestFolder([
            "config/development.yaml": "github:\n  api_url: https://file.example\n  org: file-org\n  team: file-team\n"
        ])
        var config = try Config.load(
            directory: folder.directory,
            environment: ["MOKO_GITHUB_ORG": "env-org", "MOKO_GITHUB_TEAM": "env-team"],
            defaults: ["github": ["api_url": "https://default.example", "timeout": 30]])
        config.set("github.team", "override-team")

        #expect(config.get("github.timeout") == 30)
        #expect(config.get("github.api_url") == "https://file.example")
        #expect(config.get("github.org") == "env-org")
        #expect(config.get("github.team") == "override-team")

        #expect(config.source(of: "github.timeout") == .defaults)
        #expect(config.source(of: "github.api_url") == .file(folder.directory + "/development.yaml"))
        #expect(config.source(of: "github.org") == .environmentVariable("MOKO_GITHUB_ORG"))
        #expect(config.source(of: "github.team") == .override)
        #expect(config.explain("github.org") == "github.org = \"env-org\" (from environment variable MOKO_GITHUB_ORG)")
        #expect(config.explain("nothing.here").hasPrefix("nothing.here is not set"))
    }

    @Test func commandLineOverrideWinsOverEveryOtherLayer() throws {
        let folder = try ConfigTestFolder(["config/development.yaml": "settings:\n  max_retries: 3\n"])
        var config = try Config.load(
            directory: folder.directory, environment: ["MOKO_SETTINGS_MAX_RETRIES": "4"])
        #expect(try config.getInt("settings.max_retries") == 4)
        try config.applyOverrides(["settings.max_retries=7", "settings.label=a=b"])
        #expect(try config.getInt("settings.max_retries") == 7)
        #expect(config.get("settings.label") == "a=b")
        #expect(config.source(of: "settings.max_retries") == .override)

        #expect(throws: ConfigError.invalidOverride("novalue")) { try config.applyOverrides(["x=1", "novalue"]) }
        #expect(config.get("x") == nil, "a failing batch applies nothing")
    }

    // MARK: - Secrets

    @Test func secretsAreMaskedInEveryDump() throws {
        var config = Config(defaults: [
            "github": ["token": "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "org": "acme"],
            "database": ["password": "hunter2-very-secret"],
            "stripe": ["apiKey": "plain-value-1"],
            "notes": "use ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210 here",
        ])
        config.set("aws.secret_access_key", "wJalrXUtnFEMI-K7MDENG")
        let secrets = [
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "hunter2-very-secret", "plain-value-1",
            "ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210", "wJalrXUtnFEMI-K7MDENG",
        ]
        var mirrorDump = ""
        dump(config, to: &mirrorDump)
        let renderings = [
            config.description, config.dump(), String(reflecting: config), "\(config)", mirrorDump,
            config.explain("github.token"), config.explain("database.password"),
            config.redactedValues().description,
        ]
        for rendering in renderings {
            for secret in secrets {
                #expect(!rendering.contains(secret), "leaked \(secret) in \(rendering)")
            }
        }
        #expect(config.dump().contains("github.org = \"acme\""), "non-secret values stay readable")
        #expect(config.explain("github.token").contains(SecretRedactor.marker))
        #expect(try config.getString("github.token") == "ghp_abcdefghijklmnopqrstuvwxyz0123456789")

        do {
            _ = try config.getInt("database.password")
            Issue.record("expected a type mismatch")
        } catch let error as ConfigError {
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func secretKeyNamesAreRecognised() {
        for key in ["github.token", "db.password", "api_key", "aws.secretAccessKey", "signingKey", "x.private_key"] {
            #expect(Config.isSecretKey(key), "\(key)")
        }
        for key in ["github.org", "monkey", "keyboard_layout", "cache.ttl"] {
            #expect(!Config.isSecretKey(key), "\(key)")
        }
    }

    // MARK: - Typed getters

    @Test func getBoolReadsWordsAndFalseIsFalse() throws {
        let config = Config(defaults: [
            "a": "false", "b": "no", "c": "0", "d": "yes", "e": "TRUE", "f": true, "g": 0, "h": "maybe", "i": "off",
        ])
        #expect(try config.getBool("a") == false)
        #expect(try config.getBool("b") == false)
        #expect(try config.getBool("c") == false)
        #expect(try config.getBool("d") == true)
        #expect(try config.getBool("e") == true)
        #expect(try config.getBool("f") == true)
        #expect(try config.getBool("g") == false)
        #expect(try config.getBool("i") == false)
        #expect(try config.getBool("missing") == nil)
        #expect(try config.getBool("missing", default: true) == true)
        #expect(throws: ConfigError.self) { try config.getBool("h") }
    }

    @Test func typedGettersConvertTextAndReportMismatches() throws {
        let config = Config(defaults: [
            "port": "5432", "timeout": 30, "ratio": "0.25", "name": "acme", "repos": "a, b ,c",
            "json": "[1, \"x\"]", "list": ["x", "y"], "nested": ["k": 1], "nothing": nil,
        ])
        #expect(try config.getInt("port") == 5432)
        #expect(try config.getFloat("timeout") == 30)
        #expect(try config.getFloat("ratio") == 0.25)
        #expect(try config.getString("timeout") == "30")
        #expect(try config.getArray("repos") == ["a", "b", "c"])
        #expect(try config.getArray("json") == [1, "x"])
        #expect(try config.getArray("list") == ["x", "y"])
        #expect(try config.getInt("nothing", default: 9) == 9, "null counts as absent")
        #expect(throws: ConfigError.typeMismatch(key: "name", expected: "an integer", found: "string \"acme\"")) {
            try config.getInt("name")
        }
        #expect(throws: ConfigError.self) { try config.getString("nested") }
        #expect(throws: ConfigError.self) { try config.getArray("nested") }
    }

    @Test func dotNotationReachesNestedMappingsAndSequenceElements() {
        let config = Config(defaults: ["servers": [["host": "a"], ["host": "b"]], "db": ["pool": ["size": 4]]])
        #expect(config.get("servers.1.host") == "b")
        #expect(config.get("db.pool.size") == 4)
        #expect(config.get("db.pool.missing") == nil)
        #expect(config.get("servers.7.host") == nil)
        #expect(config.keys == ["db.pool.size", "servers"])
    }

    @Test func exportEnvVarsUsesThePrefixAndUpperCase() {
        let config = Config(defaults: ["github": ["api_url": "https://x", "per-page": 100], "flags": [1, 2]])
        let exported = config.exportEnvVars(prefix: "MOKO_")
        #expect(exported["MOKO_GITHUB_API_URL"] == "https://x")
        #expect(exported["MOKO_GITHUB_PER_PAGE"] == "100")
        #expect(exported["MOKO_FLAGS"] == "[1,2]")
        #expect(Config.environmentVariableName(for: "github.api_url") == "MOKO_GITHUB_API_URL")
    }
}
