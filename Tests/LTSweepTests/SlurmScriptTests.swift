import Foundation
import Testing
@testable import LTSweep

/// The sbatch script and array specs (the real submission is scripts/slurm-test.sh).
@Suite struct SlurmScriptTests {
    @Test func arraySpecsCompressRuns() {
        #expect(SlurmBackend.arraySpec([0, 1, 2, 3]) == "0-3")
        #expect(SlurmBackend.arraySpec([5, 0, 2, 3, 4, 9]) == "0,2-5,9")
        #expect(SlurmBackend.arraySpec([7]) == "7")
    }

    @Test func shellQuotingSurvivesHostileValues() {
        #expect(SlurmBackend.shellQuote("seed=1") == "seed=1")
        #expect(SlurmBackend.shellQuote("a b") == "'a b'")
        #expect(SlurmBackend.shellQuote("it's $(rm -rf /)") == "'it'\\''s $(rm -rf /)'")
        #expect(SlurmBackend.shellQuote("") == "''")
    }

    @Test func scriptRunsEachPointAsAnOrdinaryRun() throws {
        let axes = [SweepAxis(name: "name", values: ["x y", "ok"])]
        let points = try SweepGrid.points(axes)
        let plan = SweepPlan(ltnbVersion: "t", notebook: "/w/nb.ltnb", notebookSHA: "", axes: axes, over: nil, points: points,
                             backend: .slurm, jobs: 1, slurmOptions: [], slurmJobID: nil, slurmVersion: nil, startedAt: nil, digits: 3, executable: "/bin/ltnb")
        let layout = SweepLayout("/w/out")
        let text = SlurmBackend.script(plan: plan, layout: layout, points: points)
        #expect(text.hasPrefix("#!/bin/bash\n"))
        #expect(text.contains("#SBATCH --array=0-1\n"))
        #expect(text.contains("#SBATCH --output=/w/out/logs/slurm-%A_%a.out\n"))
        #expect(text.contains("  0) point='name-x~y'; args=(run /w/nb.ltnb -o '/w/out/runs/name-x~y/' -p 'name=x y' --figures '/w/out/runs/name-x~y/tables' --record '/w/out/runs/name-x~y/record.json') ;;"))
        #expect(text.contains("echo \"$status\" > \"$run/exit-code\""))
    }

    @Test func missingToolsAreAUsageError() {
        #expect(throws: SweepError.self) { try SlurmBackend.checkTools(environment: ["PATH": "/nonexistent"]) }
    }
}

/// How tasks that never wrote an exit code are read from Slurm.
@Suite struct SlurmStateTests {
    @Test func exitStatusFromSlurmsExitAndSignal() {
        #expect(SlurmBackend.exitStatus("0:15") == 143)
        #expect(SlurmBackend.exitStatus("2:0") == 2)
        #expect(SlurmBackend.exitStatus("0:0") == 1)
        #expect(SlurmBackend.exitStatus("") == 1)
    }

    @Test func scontrolLinesPerArrayTask() {
        let text = """
            JobId=8 ArrayJobId=7 ArrayTaskId=1 JobName=ltnb-nb JobState=CANCELLED Reason=None ExitCode=0:15
            JobId=7 ArrayJobId=7 ArrayTaskId=0 JobName=ltnb-nb JobState=COMPLETED Reason=None ExitCode=0:0
            garbage line
            """
        let s = SlurmBackend.parseScontrol(text)
        #expect(s.count == 2)
        #expect(s[1]?.0 == "CANCELLED" && s[1]?.1 == 143)
        #expect(s[0]?.0 == "COMPLETED")
    }
}
