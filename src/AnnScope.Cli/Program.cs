using System.CommandLine;
using AnnScope.Cli;
using AnnScope.Cli.Commands;

var root = new RootCommand("AnnScope: network-neuroscience analysis of artificial neural networks while they learn")
{
    StudyCommand.Create(),
    MergeCommand.Create(),
    SweepCommand.Create(),
    SlurmCommand.Create(),
    AnalyzeCommand.Create(),
    ReportCommand.Create(),
    TrainCommand.Create(),
    FcCommand.Create(),
    CommunitiesCommand.Create(),
    StatsCommand.Create(),
    DevicesCommand.Create(),
};
return Cli.Run(root, args);
