// swift-tools-version: 6.1
//
// MokoLab: one package for the library, the mock GitHub server, the exercises, the grader and `lab`.
//
// Exercise targets are generated from the `exercises` list below. `LAB_SOLUTIONS=1` builds the reference
// solutions (`Solutions/<id>`) in place of the trainee skeletons (`Exercises/<id>`); keep the two trees in
// separate scratch paths (`--scratch-path .build-solutions`) so switching does not rebuild everything.

import Foundation
import PackageDescription

// MARK: - Exercises

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6)
]

/// One exercise of the curriculum: its target name and what its sources may import.
///
/// Exercises whose task is to *build* a pattern list neither `MokoEnterprise` nor the module of that
/// pattern, so they cannot pass by delegating to the library's finished type.
struct Exercise {
    var id: String
    var dependencies: [Target.Dependency]
    /// Paths inside the exercise folder that are not part of the exercise module (README.md is always excluded).
    var exclude: [String] = []
}

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

/// The whole curriculum, in order. An exercise is part of the package once its skeleton folder exists, so a
/// branch that adds an exercise only adds folders. Every exercise also depends on `ExerciseSupport` (added
/// below): skeletons throw its `Unimplemented`.
let curriculum: [Exercise] = [
    Exercise(id: "Exercise1_1", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_2", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_3", dependencies: ["MokoEnterprise", argumentParser]),
    Exercise(id: "Exercise1_4", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_5", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_6", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_7", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_8", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_9", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_10", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise1_11", dependencies: ["MokoEnterprise", argumentParser]),
    Exercise(id: "Exercise2_1", dependencies: ["MokoEnterprise", argumentParser], exclude: ["LegacyScript"]),
    Exercise(id: "Exercise2_2", dependencies: ["MokoEnterprise", argumentParser]),
    Exercise(id: "Exercise2_3", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise2_4", dependencies: ["MokoEnterprise", argumentParser]),
    Exercise(id: "Exercise2_5", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise3_1", dependencies: []),
    Exercise(id: "Exercise3_2", dependencies: []),
    Exercise(id: "Exercise3_3", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise3_4", dependencies: []),
    Exercise(id: "Exercise3_5", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise3_6", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise3_7", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise3_8", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise3_9", dependencies: ["MokoEnterprise"]),
    Exercise(id: "Exercise3_10", dependencies: []),
]

/// `LAB_ONLY=Exercise3_4[,Exercise1_1]` declares only those exercises and, of the tools and library test
/// suites, only the targets it names (`LAB_ONLY=SessionGuideTests,...`): `lab test`, the mutant runs and
/// authors iterating on one exercise build and link just that much, and a half-finished exercise elsewhere
/// never breaks the build.
let only: Set<String>? = Context.environment["LAB_ONLY"].map {
    Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
}

let useSolutions = Context.environment["LAB_SOLUTIONS"] == "1"
let exerciseRoot = useSolutions ? "Solutions" : "Exercises"
let packageRoot = Context.packageDirectory

/// `LAB_MUTANT=Exercise1_3/<name>` builds a mutant in place of that one exercise's sources: the folder
/// `LAB_MUTANT_DIR` names (relative to the package) when set, else `grader/mutants/Exercise1_3/<name>` (a mutant
/// written as a folder holding all of the exercise's files). The mutants in the repository are patches
/// (`grader/mutants/<id>/<name>/mutant.yaml`); `lab verify` applies one to the solution in a folder of its scratch
/// path and names it in `LAB_MUTANT_DIR`, with `LAB_SOLUTIONS=1`, to prove the hidden checks catch it.
let mutant: (exercise: String, name: String)? = {
    let parts = (Context.environment["LAB_MUTANT"] ?? "").split(separator: "/").map(String.init)
    return parts.count == 2 ? (parts[0], parts[1]) : nil
}()

func sourcePath(of exercise: String) -> String {
    if let mutant, mutant.exercise == exercise {
        return Context.environment["LAB_MUTANT_DIR"] ?? "grader/mutants/\(exercise)/\(mutant.name)"
    }
    return "\(exerciseRoot)/\(exercise)"
}

func exists(_ relativePath: String) -> Bool {
    FileManager.default.fileExists(atPath: packageRoot + "/" + relativePath)
}

let exercises = curriculum.filter { exercise in
    exists("Exercises/\(exercise.id)") && (only?.contains(exercise.id) ?? true)
}

let exerciseTargets: [Target] = exercises.flatMap { exercise -> [Target] in
    var targets: [Target] = [
        .target(
            name: exercise.id,
            dependencies: exercise.dependencies + ["ExerciseSupport"],
            path: sourcePath(of: exercise.id),
            exclude: (["README.md"] + exercise.exclude).filter { exists(sourcePath(of: exercise.id) + "/" + $0) },
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "\(exercise.id)Tests",
            dependencies: [.target(name: exercise.id), "ExerciseSupport", "MokoEnterpriseTestSupport", "MockGitHub"]
                + exercise.dependencies,
            path: "Tests/\(exercise.id)Tests",
            swiftSettings: swiftSettings
        ),
    ]
    // Hidden checks exist only in the instructor's copy; the trainee kit has no grader/hidden folder. They
    // also get swift-log, to silence library logs that would print their generated inputs.
    if exists("grader/hidden/\(exercise.id)") {
        targets.append(
            .testTarget(
                name: "\(exercise.id)HiddenTests",
                dependencies: [
                    .target(name: exercise.id), "ExerciseSupport", "MokoEnterpriseTestSupport", "MockGitHub", logging,
                ] + exercise.dependencies,
                path: "grader/hidden/\(exercise.id)",
                swiftSettings: swiftSettings
            )
        )
    }
    return targets
}

// MARK: - Package

let packageDependencies: [Package.Dependency] = [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
]

/// The library, the in-process mock and the support every exercise check uses: always part of the package.
let coreTargets: [Target] = [
    .target(
        name: "MokoEnterprise",
        dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "ExerciseSupport",
        swiftSettings: swiftSettings
    ),
    .target(
        name: "MokoEnterpriseTestSupport",
        dependencies: [
            "MokoEnterprise",
            "MockGitHub",
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "MockGitHub",
        swiftSettings: swiftSettings
    ),
]

/// Tools and the library's own test suites: under `LAB_ONLY`, only those it names.
let toolTargets: [Target] = [
    .executableTarget(
        name: "moko-demo",
        dependencies: [
            "MokoEnterprise",
            "MockGitHub",
            "MockGitHubServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "moko-bench",
        dependencies: ["MokoEnterprise"],
        path: "Benchmarks/moko-bench",
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "checkpoint-crash-child",
        dependencies: ["MokoEnterprise"],
        path: "Tests/Helpers/checkpoint-crash-child",
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "moko-cli-example",
        dependencies: ["MokoEnterprise"],
        path: "Tests/Helpers/moko-cli-example",
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "MokoEnterpriseTests",
        dependencies: [
            "MokoEnterprise",
            "MokoEnterpriseTestSupport",
            .product(name: "InMemoryLogging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ],
        resources: [.copy("Fixtures")],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "MockGitHubServer",
        dependencies: [
            "MockGitHub",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ],
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "mock-github",
        dependencies: [
            "MockGitHub",
            "MockGitHubServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        swiftSettings: swiftSettings
    ),
    // Exercise 2.1's legacy script, ported as it was (raw URLSession, sleep(1)): trainees run it against
    // `mock-github` before migrating it. It lives in the exercise folder, which excludes it from the module.
    .executableTarget(
        name: "manage-repositories-legacy",
        path: "Exercises/Exercise2_1/LegacyScript",
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "MockGitHubTests",
        dependencies: ["MockGitHub", "MockGitHubServer", .product(name: "NIOCore", package: "swift-nio")],
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "MokoEnterpriseTestSupportTests",
        dependencies: ["MokoEnterpriseTestSupport"],
        swiftSettings: swiftSettings
    ),
    // The session guides' Swift blocks, compiled (and the runnable ones run) against the library:
    // `session-snippets` extracts them, the `SessionSnippets` build-tool plugin runs it for `SessionGuideTests`.
    .executableTarget(
        name: "session-snippets",
        swiftSettings: swiftSettings
    ),
    .plugin(
        name: "SessionSnippets",
        capability: .buildTool(),
        dependencies: ["session-snippets"],
        path: "Plugins/SessionSnippets"
    ),
    .testTarget(
        name: "SessionGuideTests",
        dependencies: [
            "MokoEnterprise",
            "MokoEnterpriseTestSupport",
            "MockGitHub",
            argumentParser,
            logging,
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        swiftSettings: swiftSettings,
        plugins: ["SessionSnippets"]
    ),
    .target(
        name: "SamplePatches",
        dependencies: [.product(name: "Yams", package: "Yams")],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "LabKit",
        dependencies: [
            "SamplePatches",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "lab",
        dependencies: ["LabKit", argumentParser],
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "LabKitTests",
        dependencies: ["LabKit", "MokoEnterpriseTestSupport"],
        resources: [.copy("Fixtures")],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "GraderKit",
        dependencies: [
            "SamplePatches",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "grade",
        dependencies: ["GraderKit", argumentParser],
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "GraderKitTests",
        dependencies: ["GraderKit"],
        swiftSettings: swiftSettings
    ),
]

let coreProducts: [Product] = [
    .library(name: "MokoEnterprise", targets: ["MokoEnterprise"]),
    .library(name: "MokoEnterpriseTestSupport", targets: ["MokoEnterpriseTestSupport"]),
    .library(name: "MockGitHub", targets: ["MockGitHub"]),
]

let toolProducts: [Product] = [
    .executable(name: "moko-demo", targets: ["moko-demo"]),
    .executable(name: "moko-bench", targets: ["moko-bench"]),
    .library(name: "MockGitHubServer", targets: ["MockGitHubServer"]),
    .executable(name: "mock-github", targets: ["mock-github"]),
    .executable(name: "manage-repositories-legacy", targets: ["manage-repositories-legacy"]),
    .executable(name: "lab", targets: ["lab"]),
    .executable(name: "grade", targets: ["grade"]),
]

// MARK: - Capstone

/// The capstone (`Exercises/Project`; the reference is `Solutions/Project`): the `moko-project` executable
/// (target `Project`) and the trainee's own tests (`ProjectTests`). Part of the package once
/// `Exercises/Project` exists; under `LAB_ONLY` only when `Project` is named. `LAB_MUTANT=Project/<name>`
/// builds `grader/mutants/Project/<name>` (with `Sources/` and `Tests/`) instead; the capstone mutants in the
/// repository are patches (`mutant.yaml`) that only `grade samples` applies.
let projectIncluded = exists("Exercises/Project") && (only?.contains("Project") ?? true)
/// `LAB_COVERAGE=1` (the grader's build): only the `Project` module is instrumented for line coverage, so the
/// grader measures the trainee's tests without rebuilding every other module with coverage.
let projectCoverage = Context.environment["LAB_COVERAGE"] == "1"
let projectRoot = sourcePath(of: "Project")
let projectTargets: [Target] =
    projectIncluded
    ? [
        .executableTarget(
            name: "Project",
            dependencies: [
                "MokoEnterprise", "ExerciseSupport", argumentParser, logging,
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "\(projectRoot)/Sources",
            exclude: ["README.md"].filter { exists("\(projectRoot)/Sources/\($0)") },
            swiftSettings: swiftSettings
                + (projectCoverage ? [.unsafeFlags(["-profile-generate", "-profile-coverage-mapping"])] : []),
            linkerSettings: projectCoverage ? [.unsafeFlags(["-profile-generate"])] : []
        ),
        .testTarget(
            name: "ProjectTests",
            dependencies: [
                "Project", "MokoEnterprise", "ExerciseSupport", "MokoEnterpriseTestSupport", "MockGitHub", logging,
            ],
            path: "\(projectRoot)/Tests",
            exclude: ["README.md"].filter { exists("\(projectRoot)/Tests/\($0)") },
            swiftSettings: swiftSettings
        ),
    ] : []
let projectProducts: [Product] = projectIncluded ? [.executable(name: "moko-project", targets: ["Project"])] : []

/// A tool or suite is part of the package only when its folder exists: the trainee kit (`lab kit`) leaves out
/// the grader, the benchmarks and the library's own suites, and the same manifest builds without them.
func folderExists(_ target: Target) -> Bool {
    exists(target.path ?? "\(target.type == .test ? "Tests" : "Sources")/\(target.name)")
}

let presentToolTargets = toolTargets.filter(folderExists)
let presentToolTargetNames = Set(presentToolTargets.map(\.name))

/// Under `LAB_ONLY`, the tools it names and the tool targets those depend on by name (`LabKit` and `GraderKit`
/// need `SamplePatches`), so `LAB_ONLY=lab,LabKit` still builds.
let onlyTools: Set<String>? = only.map { named in
    var wanted = named
    var grew = true
    while grew {
        grew = false
        for target in presentToolTargets where wanted.contains(target.name) {
            for case .byNameItem(let name, _) in target.dependencies
            where presentToolTargetNames.contains(name) && !wanted.contains(name) {
                wanted.insert(name)
                grew = true
            }
        }
    }
    return wanted
}

let package = Package(
    name: "MokoLab",
    platforms: [.macOS(.v15)],
    // Every tool product is named after the target it builds.
    products: coreProducts + (only == nil ? toolProducts.filter { presentToolTargetNames.contains($0.name) } : [])
        + projectProducts,
    dependencies: packageDependencies,
    targets: coreTargets + presentToolTargets.filter { onlyTools?.contains($0.name) ?? true } + exerciseTargets
        + projectTargets
)
