import Testing
@testable import LTNotebook

@Suite struct NotebookModuleTests {
    @Test func moduleLoads() { #expect(LTNotebookModule.name == "LTNotebook") }
}
