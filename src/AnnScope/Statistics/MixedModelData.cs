using System.Globalization;

namespace AnnScope.Statistics;

/// <summary>
/// Long-format data for a linear mixed model: one response, fixed-effect covariates (an intercept is always
/// added) and a grouping label per observation. Groups are ordered like an R factor's levels: numerically when
/// every label is a number, otherwise ordinally. Every value must be finite.
/// </summary>
public sealed class MixedModelData
{
    private readonly double[] response;
    private readonly double[][] covariates;
    private readonly int[] groupIndex;
    private readonly string[] groupLabels;

    /// <summary>Builds and validates the table; <paramref name="covariates"/> are columns of the same length as the response.</summary>
    public MixedModelData(string responseName, IReadOnlyList<double> response,
        IReadOnlyList<(string Name, IReadOnlyList<double> Values)> covariates, string groupName, IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(groups);
        if (covariates.Count == 0) throw new ArgumentException("a mixed model needs at least one covariate");
        int n = response.Count;
        if (n == 0) throw new ArgumentException("the data have no observations");
        if (groups.Count != n)
            throw new ArgumentException($"{groupName} has {groups.Count} values but {responseName} has {n}");
        ResponseName = responseName;
        GroupName = groupName;
        this.response = CheckedColumn(responseName, response);
        this.covariates = new double[covariates.Count][];
        var names = new string[covariates.Count];
        for (int c = 0; c < covariates.Count; c++)
        {
            var (name, values) = covariates[c];
            if (values.Count != n) throw new ArgumentException($"{name} has {values.Count} values but {responseName} has {n}");
            if (name == responseName || names.Take(c).Contains(name))
                throw new ArgumentException($"column '{name}' is used twice in the model");
            names[c] = name;
            this.covariates[c] = CheckedColumn(name, values);
        }
        CovariateNames = names;
        for (int i = 0; i < n; i++)
            if (string.IsNullOrEmpty(groups[i])) throw new ArgumentException($"{groupName} is empty in observation {i + 1}");
        groupLabels = OrderLevels(groups.Distinct(StringComparer.Ordinal));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int g = 0; g < groupLabels.Length; g++) index[groupLabels[g]] = g;
        groupIndex = new int[n];
        for (int i = 0; i < n; i++) groupIndex[i] = index[groups[i]];
    }

    /// <summary>Columns already checked (taken from a validated table); groups already indexed.</summary>
    private MixedModelData(string responseName, IReadOnlyList<string> covariateNames, string groupName, double[] response,
        double[][] covariates, int[] groupIndex, string[] labels)
    {
        ResponseName = responseName;
        GroupName = groupName;
        CovariateNames = covariateNames;
        this.response = response;
        this.covariates = covariates;
        this.groupIndex = groupIndex;
        groupLabels = labels;
    }

    /// <summary>The common case y ~ x with a grouping label.</summary>
    public static MixedModelData Create(IReadOnlyList<double> y, IReadOnlyList<double> x, IReadOnlyList<string> groups,
        string yName = "y", string xName = "x", string groupName = "g") =>
        new(yName, y, [(xName, x)], groupName, groups);

    /// <summary>y ~ x with integer group ids.</summary>
    public static MixedModelData Create(IReadOnlyList<double> y, IReadOnlyList<double> x, IReadOnlyList<int> groups,
        string yName = "y", string xName = "x", string groupName = "g") =>
        Create(y, x, groups.Select(g => g.ToString(CultureInfo.InvariantCulture)).ToArray(), yName, xName, groupName);

    /// <summary>Name of the response y.</summary>
    public string ResponseName { get; }
    /// <summary>Name of the grouping factor.</summary>
    public string GroupName { get; }
    /// <summary>Names of the fixed-effect covariates, in model order (the intercept is implicit).</summary>
    public IReadOnlyList<string> CovariateNames { get; }
    /// <summary>n, the number of observations.</summary>
    public int ObservationCount => response.Length;
    /// <summary>G, the number of groups.</summary>
    public int GroupCount => groupLabels.Length;

    /// <summary>Group labels in factor-level order; conditional modes are reported in this order.</summary>
    public IReadOnlyList<string> GroupLabels => groupLabels;

    /// <summary>The response, one value per observation.</summary>
    public ReadOnlySpan<double> Response => response;
    /// <summary>Covariate number <paramref name="index"/> (in <see cref="CovariateNames"/> order).</summary>
    public ReadOnlySpan<double> Covariate(int index) => covariates[index];
    /// <summary>The covariate called <paramref name="name"/>.</summary>
    public ReadOnlySpan<double> Covariate(string name) => covariates[CovariateIndex(name)];

    /// <summary>Index (0..G−1, in <see cref="GroupLabels"/> order) of each observation's group.</summary>
    public ReadOnlySpan<int> GroupIndex => groupIndex;

    /// <summary>Position of the covariate called <paramref name="name"/> in <see cref="CovariateNames"/>.</summary>
    /// <exception cref="KeyNotFoundException">No covariate has that name.</exception>
    public int CovariateIndex(string name)
    {
        for (int c = 0; c < CovariateNames.Count; c++)
            if (CovariateNames[c] == name) return c;
        throw new ArgumentException($"'{name}' is not a covariate of this model (covariates: {string.Join(", ", CovariateNames)})");
    }

    /// <summary>
    /// A bootstrap sample over groups: the drawn groups, in draw order, each as a new group even when drawn twice
    /// (labels "b1", "b2", … so that duplicates stay distinct groups).
    /// </summary>
    internal MixedModelData ResampleGroups(ReadOnlySpan<int> drawnGroups)
    {
        var members = new List<int>[GroupCount];
        for (int g = 0; g < GroupCount; g++) members[g] = [];
        for (int i = 0; i < groupIndex.Length; i++) members[groupIndex[i]].Add(i);
        int n = 0;
        foreach (var g in drawnGroups) n += members[g].Count;
        var y = new double[n];
        var x = covariates.Select(_ => new double[n]).ToArray();
        var gi = new int[n];
        var labels = new string[drawnGroups.Length];
        int row = 0;
        for (int d = 0; d < drawnGroups.Length; d++)
        {
            labels[d] = "b" + (d + 1).ToString(CultureInfo.InvariantCulture);
            foreach (var i in members[drawnGroups[d]])
            {
                y[row] = response[i];
                for (int c = 0; c < x.Length; c++) x[c][row] = covariates[c][i];
                gi[row] = d;
                row++;
            }
        }
        return new MixedModelData(ResponseName, CovariateNames, GroupName, y, x, gi, labels);
    }

    /// <summary>This table with a different response and covariates, same groups (used by mediation paths).</summary>
    internal MixedModelData WithColumns(string responseName, double[] newResponse, string[] names, double[][] columns)
    {
        if (newResponse.Length != response.Length || columns.Any(c => c.Length != response.Length))
            throw new ArgumentException("replacement columns must have one value per observation");
        return new MixedModelData(responseName, names, GroupName, newResponse, columns, groupIndex, groupLabels);
    }

    internal double[] ResponseArray => response;
    internal double[] CovariateArray(int index) => covariates[index];

    private static double[] CheckedColumn(string name, IReadOnlyList<double> values)
    {
        var copy = new double[values.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v)) throw new ArgumentException($"{name} is {v} in observation {i + 1}; every value must be finite");
            copy[i] = v;
        }
        return copy;
    }

    private static string[] OrderLevels(IEnumerable<string> distinct)
    {
        var labels = distinct.ToArray();
        var numbers = new double[labels.Length];
        bool numeric = true;
        for (int i = 0; i < labels.Length && numeric; i++)
            numeric = double.TryParse(labels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]);
        if (numeric) Array.Sort(numbers, labels);
        else Array.Sort(labels, StringComparer.Ordinal);
        return labels;
    }
}
