using System.Text.Json.Serialization;

namespace AnnScope.Models;

/// <summary>
/// Which accuracy of the test sequence a study relates to its network measures (science.md §3, §8); each is a
/// column of checkpoints.csv under the same name.
/// </summary>
public enum AccuracyMeasure
{
    /// <summary>The study's plotted score, weighting the classes as the original code did (always "novel" scores about 1/3).</summary>
    [JsonStringEnumMemberName("paper_accuracy")] PaperAccuracy,

    /// <summary>The fraction of steps answered correctly (always "novel" scores about 2/3 in the study's task).</summary>
    [JsonStringEnumMemberName("accuracy")] Accuracy,

    /// <summary>(TPR + 1 − FPR)/2: chance is 1/2 whatever the repeat rate.</summary>
    [JsonStringEnumMemberName("balanced_accuracy")] BalancedAccuracy,
}
