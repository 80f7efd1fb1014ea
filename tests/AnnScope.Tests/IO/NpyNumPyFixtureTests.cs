using AnnScope.IO;
using AnnScope.Studies;
using AnnScope.Tests.Support;

namespace AnnScope.Tests.IO;

/// <summary>Files written by NumPy itself (tests/fixtures/npy, made by make_fixtures.py): every dtype, byte order and memory order.</summary>
public class NpyNumPyFixtureTests
{
    private static readonly int[] Partition = [2, 0, 1, 1, 0, 2];

    private static string Fixture(string name) => Repo.Fixture("npy", name);

    [Theory]
    [InlineData("labels_i1.npy", NpyType.Int8)]
    [InlineData("labels_i2.npy", NpyType.Int16)]
    [InlineData("labels_i4.npy", NpyType.Int32)]
    [InlineData("labels_i8.npy", NpyType.Int64)]
    [InlineData("labels_u1.npy", NpyType.UInt8)]
    [InlineData("labels_u2.npy", NpyType.UInt16)]
    [InlineData("labels_u4.npy", NpyType.UInt32)]
    [InlineData("labels_u8.npy", NpyType.UInt64)]
    [InlineData("labels_be_i4.npy", NpyType.Int32)]
    [InlineData("labels_f2.npy", NpyType.Float16)]
    [InlineData("labels_f4.npy", NpyType.Float32)]
    [InlineData("labels_f8.npy", NpyType.Float64)]
    public void ReadsLabelsOfEveryIntegerWidthAndWholeFloats(string file, NpyType type)
    {
        Assert.Equal(type, Npy.ReadHeader(Fixture(file)).Type);
        var (labels, shape) = Npy.ReadLabels(Fixture(file));
        Assert.Equal(Partition, labels);
        Assert.Equal([6L], shape);
    }

    [Fact]
    public void ReadsBoolAsZeroAndOne()
    {
        Assert.Equal([1, 0, 1, 1, 0, 0], Npy.ReadLabels(Fixture("labels_bool.npy")).Labels);
        Assert.Equal([1.0, 0, 1, 1, 0, 0], Npy.ReadFloat64(Fixture("labels_bool.npy")).Data);
    }

    [Theory]
    [InlineData("labels_fraction.npy", "entry [2] is 1.5")]
    [InlineData("labels_nan.npy", "entry [3] is NaN")]
    [InlineData("labels_too_big_u8.npy", "entry [4] is 1099511627776")]
    public void RefusesLabelsThatAreNotWholeNamingTheFirstBadEntry(string file, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Npy.ReadLabels(Fixture(file)));
        Assert.Contains(expected, e.Message);
        Assert.Contains(file, e.Message);
    }

    [Theory]
    [InlineData("labels_fortran_i8.npy")]
    [InlineData("labels_fortran_be_i2.npy")]
    public void ReadsFortranOrderLabelsInCOrder(string file)
    {
        var header = Npy.ReadHeader(Fixture(file));
        Assert.True(header.FortranOrder);
        var (labels, shape) = Npy.ReadLabels(Fixture(file));
        Assert.Equal([2L, 6L], shape);
        for (int l = 0; l < 2; l++)
            for (int m = 0; m < 6; m++)
                Assert.Equal(Partition[m] + 3 * l, labels[l * 6 + m]);
    }

    [Fact]
    public void ReadsFortranOrderAndBigEndianArraysInCOrder()
    {
        var (matrix, shape) = Npy.ReadFloat64(Fixture("matrix_fortran_f8.npy"));
        Assert.Equal([3L, 4L], shape);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(3 * j + i, matrix[i * 4 + j]);

        var header = Npy.ReadHeader(Fixture("cube_fortran_be_f4.npy"));
        Assert.True(header.FortranOrder && header.BigEndian);
        var (cube, cubeShape) = Npy.ReadFloat32(Fixture("cube_fortran_be_f4.npy"));
        Assert.Equal([2L, 3L, 4L], cubeShape);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(6 * k + 2 * j + i, cube[(i * 3 + j) * 4 + k]);
    }

    [Theory]
    [InlineData("activations_fortran_f4.npy")]
    [InlineData("activations_c_be_f8.npy")]
    [InlineData("activations_c_i2.npy")]
    public void ActivationSourcesReadEachCheckpointWhateverTheLayout(string file)
    {
        var header = Npy.ReadHeader(Fixture(file));
        for (int c = 0; c < 3; c++)
        {
            var along = new float[2 * 4 * 5];
            Npy.ReadAlong(Fixture(file), header, axis: 1, c, along);
            for (int i = 0; i < 2; i++)
                for (int t = 0; t < 4; t++)
                    for (int m = 0; m < 5; m++)
                        Assert.Equal(24 * m + 6 * t + 2 * c + i, along[(i * 4 + t) * 5 + m]);
        }
        var whole = Npy.ReadFloat32(Fixture(file)).Data;
        using var source = ActivationFileSource.OpenNpy(Fixture(file));
        foreach (var checkpoint in source.Produce(_ => { }, CancellationToken.None))
            for (int i = 0; i < 2; i++)
                Assert.Equal(whole.AsSpan((i * 3 + checkpoint.Index) * 20, 20), checkpoint.Activations.AsSpan(i * 20, 20));
    }

    [Fact]
    public void RefusesComplexNamingTheDtype()
    {
        var e = Assert.Throws<InvalidDataException>(() => Npy.ReadFloat64(Fixture("complex.npy")));
        Assert.Contains("unsupported dtype <c16", e.Message);
    }
}
