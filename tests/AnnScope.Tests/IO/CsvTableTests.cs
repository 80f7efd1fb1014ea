using AnnScope.IO;

namespace AnnScope.Tests.IO;

public class CsvTableTests
{
    private static CsvTable Parse(string text) => CsvTable.Read(new StringReader(text), "t.csv");

    [Fact]
    public void ReadsQuotedFieldsWithCommasQuotesAndSpaces()
    {
        var t = Parse("group,\"x value\",y\n\"inst, 1\",1.5,\"2e-3\"\n\"say \"\"hi\"\"\", -0.25 ,3\n");
        Assert.Equal(["group", "x value", "y"], t.Columns);
        Assert.Equal(2, t.RowCount);
        Assert.Equal(["inst, 1", "say \"hi\""], t.Text("group"));
        Assert.Equal([1.5, -0.25], t.Numeric("x value"));
        Assert.Equal([0.002, 3], t.Numeric("y"));
    }

    [Fact]
    public void BlankLinesAreSkippedAndCrLfIsAccepted()
    {
        var t = Parse("a,b\r\n1,2\r\n\r\n3,4\r\n");
        Assert.Equal([1.0, 3], t.Numeric("a"));
    }

    [Theory]
    [InlineData("a,b\n1,NaN\n", "row 1, column 'b' is NaN")]
    [InlineData("a,b\n1,2\n3,abc\n", "row 2, column 'b': 'abc' is not a number")]
    [InlineData("a,b\n1,2\n3,\n", "row 2, column 'b' is empty")]
    [InlineData("a,b\n1,2\n3,Inf\n", "column 'b'")]
    [InlineData("a,b\n1,NA\n", "'NA' is not a number")]
    public void BadNumericCellsNameRowAndColumn(string text, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse(text).Numeric("b"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("t.csv:", e.Message);
    }

    [Fact]
    public void MissingColumnListsTheColumnsThatExist()
    {
        var e = Assert.Throws<ArgumentException>(() => Parse("a,b\n1,2\n").Numeric("c"));
        Assert.Contains("no column named 'c' (columns: a, b)", e.Message);
    }

    [Theory]
    [InlineData("a,b\n1,2,3\n", "row 1 has 3 fields but the header has 2")]
    [InlineData("a,a\n1,2\n", "names column 'a' twice")]
    [InlineData("a,,c\n1,2,3\n", "column 2 of the header has no name")]
    [InlineData("", "no header row")]
    public void MalformedTablesAreRejected(string text, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse(text));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CsvTable.Read("/nonexistent/table.csv"));
        Assert.Contains("does not exist", e.Message);
    }
}
