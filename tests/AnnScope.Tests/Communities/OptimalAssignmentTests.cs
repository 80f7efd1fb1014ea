using AnnScope.Communities;
using CsCheck;

namespace AnnScope.Tests.Communities;

public class OptimalAssignmentTests
{
    /// <summary>The cheapest assignment by trying every injection of the smaller side into the larger.</summary>
    private static double BruteForce(double[] cost, int rows, int columns)
    {
        double best = double.PositiveInfinity;
        var used = new bool[Math.Max(rows, columns)];
        void Search(int k, double total)
        {
            int small = Math.Min(rows, columns), large = Math.Max(rows, columns);
            if (k == small)
            {
                best = Math.Min(best, total);
                return;
            }
            for (int t = 0; t < large; t++)
            {
                if (used[t]) continue;
                used[t] = true;
                Search(k + 1, total + (rows <= columns ? cost[k * columns + t] : cost[t * columns + k]));
                used[t] = false;
            }
        }
        Search(0, 0);
        return best;
    }

    [Fact]
    public void MatchesExhaustiveSearchOnRandomRectangularProblems()
    {
        var problems =
            from rows in Gen.Int[1, 6]
            from columns in Gen.Int[1, 6]
            from cost in Gen.Int[-5, 9].Array[rows * columns]
            select (rows, columns, cost.Select(c => (double)c).ToArray());
        problems.Sample(p =>
        {
            var assigned = OptimalAssignment.Minimise(p.Item3, p.rows, p.columns);
            Assert.Equal(p.rows, assigned.Length);
            var taken = assigned.Where(c => c >= 0).ToList();
            Assert.Equal(Math.Min(p.rows, p.columns), taken.Count);
            Assert.Equal(taken.Count, taken.Distinct().Count());
            double total = 0;
            for (int r = 0; r < p.rows; r++)
                if (assigned[r] >= 0) total += p.Item3[r * p.columns + assigned[r]];
            Assert.Equal(BruteForce(p.Item3, p.rows, p.columns), total, 1e-9);
        }, iter: 500);
    }

    [Fact]
    public void MaximiseFindsTheLargestOverlap()
    {
        // the greedy choice (row 0 → column 0, worth 9) is not optimal: 8 + 8 beats 9 + 1
        double[] overlap = [9, 8, 8, 1];
        Assert.Equal([1, 0], OptimalAssignment.Maximise(overlap, 2, 2));
    }

    [Fact]
    public void RejectsBadShapesAndValues()
    {
        Assert.Throws<ArgumentException>(() => OptimalAssignment.Minimise(new double[5], 2, 3));
        Assert.Throws<ArgumentException>(() => OptimalAssignment.Minimise([double.NaN], 1, 1));
    }
}
