using System.Text;
using AnnScope.IO;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.IO;

/// <summary>The store's tables are RFC 4180: text that needs quotes gets them, numbers stay bare, and a torn quoted row is cut.</summary>
public class StoreCsvDialectTests
{
    private static readonly string[] Columns = ["epoch", "kind", "value"];

    [Fact]
    public void TextWithCommasQuotesAndNewlinesRoundTripsThroughAnIndependentRfc4180Reader()
    {
        using var dir = new TempDir();
        var path = dir.File("t.csv");
        string[] kinds = ["plain", "a,b", "say \"hi\"", "two\nlines", "crlf\r\nend", "ünïcode"];
        using (var table = AppendOnlyTable.Create(path, Columns))
        {
            for (int i = 0; i < kinds.Length; i++) table.Append(i, kinds[i], 0.1 * i);
        }
        // Sylvan's reader, not ours, decides what the file says
        var read = CsvTable.Read(path);
        Assert.Equal(Columns, read.Columns);
        Assert.Equal(kinds.Length, read.RowCount);
        Assert.Equal(kinds.Select(k => k.Trim()), read.Text("kind"));
        Assert.Equal(kinds.Select((_, i) => 0.1 * i), read.Numeric("value"));
        var bytes = File.ReadAllText(path);
        Assert.StartsWith("epoch,kind,value\n0,plain,0\n1,\"a,b\",0.1\n2,\"say \"\"hi\"\"\",0.2\n3,\"two\nlines\",0.30000000000000004\n", bytes);
    }

    [Fact]
    public void NumericRowsAreBareLinesAndATornQuotedRowIsCutOnResume()
    {
        using var dir = new TempDir();
        var path = dir.File("t.csv");
        using (var table = AppendOnlyTable.Create(path, Columns))
        {
            table.Append(0, "x", double.NaN);
            table.Append(1, "y", -2.5e-300);
        }
        Assert.Equal("epoch,kind,value\n0,x,NaN\n1,y,-2.5E-300\n", File.ReadAllText(path));
        long whole = new FileInfo(path).Length;

        // a killed writer left a quoted field open, with a newline inside it: not a row
        File.AppendAllText(path, "2,\"half\nwritten");
        Assert.Equal(whole, AppendOnlyTable.Trim(path, Columns, _ => true));
        // a complete quoted row with an embedded newline is one row, kept or cut as a whole
        File.WriteAllBytes(path, [.. File.ReadAllBytes(path).Take((int)whole), .. Encoding.UTF8.GetBytes("2,\"two\nlines\",3\n")]);
        Assert.Equal(whole + 16, AppendOnlyTable.Trim(path, Columns, _ => true));
        Assert.Equal(whole, AppendOnlyTable.Trim(path, Columns, cells => cells[0] != "2"));
        using (var resumed = AppendOnlyTable.Resume(path, Columns, cells => cells[1] != "two\nlines")) resumed.Append(2, "z", 1);
        Assert.Equal("epoch,kind,value\n0,x,NaN\n1,y,-2.5E-300\n2,z,1\n", File.ReadAllText(path));

        File.WriteAllText(path, "epoch,\"kind\",value\n");
        Assert.Equal(File.ReadAllBytes(path).Length, AppendOnlyTable.Trim(path, Columns, _ => true)); // a quoted header says the same
        File.WriteAllText(path, "epoch,kind\n");
        Assert.Throws<InvalidDataException>(() => AppendOnlyTable.Trim(path, Columns, _ => true));
    }
}
