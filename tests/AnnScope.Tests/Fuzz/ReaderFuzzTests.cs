using Xunit.Abstractions;

namespace AnnScope.Tests.Fuzz;

/// <summary>
/// Every file reader against generated inputs: a quick seeded subset in the normal run; ./build.sh fuzz (or
/// ANNSCOPE_FUZZ_CASES=10000) runs the full count per reader and appends the counts to ANNSCOPE_FUZZ_REPORT.
/// </summary>
[Trait("Category", "Fuzz")]
public class ReaderFuzzTests(ITestOutputHelper output)
{
    private const int Quick = 300;

    private void Check(ReaderFuzzer.Target target, int seed, int quick = Quick)
    {
        var report = ReaderFuzzer.Run(target, seed, ReaderFuzzer.Cases(quick));
        output.WriteLine(report.ToString());
        Assert.True(report.Crashes.Count == 0, report + ":\n" + string.Join("\n", report.Crashes));
        Assert.Equal(report.Cases, report.Accepted + report.Refused);
        Assert.True(report.Accepted > 0 && report.DistinctErrors >= 3, $"the inputs do not exercise the reader: {report}");
    }

    [Fact]
    public void NpyReaderRefusesEveryBadInputWithItsTypedError() => Check(ReaderTargets.Npy(), 1);

    [Fact]
    public void Hdf5ReaderRefusesEveryBadInputWithItsTypedError() => Check(ReaderTargets.Hdf5(), 2, quick: 150);

    [Fact]
    public void CsvReaderRefusesEveryBadInputWithItsTypedError() => Check(ReaderTargets.Csv(), 3);

    [Fact]
    public void StudyConfigReaderRefusesEveryBadInputWithItsTypedError() => Check(ReaderTargets.Config(), 4);

    [Fact]
    public void StateFileReaderRefusesEveryBadInputWithItsTypedError() => Check(ReaderTargets.State(), 5);
}
