import ArgumentParser
import MokoEnterprise
import Testing

@Suite struct StandardOptionsTests {
    @Test func parsesEveryStandardFlag() throws {
        let options = try StandardOptions.parse([
            "--verbose", "--dry-run", "--json", "--config", "extra.yaml", "--env", "staging", "--log-file",
            "run.log", "--set", "a.b=1", "--set", "c=d=e",
        ])
        #expect(options.verbose)
        #expect(!options.quiet)
        #expect(options.dryRun)
        #expect(options.json)
        #expect(options.config == "extra.yaml")
        #expect(options.env == "staging")
        #expect(options.logFile == "run.log")
        #expect(options.overrides == ["a.b=1", "c=d=e"])
        #expect(options.logLevel == .debug)
    }

    @Test func defaultsAreQuietlyOff() throws {
        let options = try StandardOptions.parse([])
        #expect(!options.verbose && !options.quiet && !options.dryRun && !options.json)
        #expect(options.config == nil && options.env == nil && options.logFile == nil)
        #expect(options.overrides.isEmpty)
        #expect(options.logLevel == .info)
        #expect(try StandardOptions.parse(["-q"]).logLevel == .error)
        #expect(try StandardOptions.parse(["-v"]).logLevel == .debug)
    }

    @Test func contradictoryOrMalformedFlagsAreUsageErrors() {
        for arguments in [["-v", "-q"], ["--set", "novalue"], ["--set", "=x"], ["--bogus"], ["--env"]] {
            do {
                _ = try StandardOptions.parse(arguments)
                Issue.record("\(arguments) should not parse")
            } catch {
                #expect(StandardOptions.exitCode(for: error) == .validationFailure, "\(arguments)")
                #expect(StandardOptions.exitCode(for: error).rawValue == CLIExitCode.usage.rawValue)
            }
        }
    }
}
