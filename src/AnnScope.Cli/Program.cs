using System.CommandLine;
using System.CommandLine.Help;
using AnnScope.Cli;
using AnnScope.Cli.Commands;

// RootCommand takes its name from the entry assembly (AnnScope.Cli), so every usage line would name the wrong command;
// a command named like the tool, with the help and version options RootCommand would add, knows its own name.
var root = new Command("annscope", "AnnScope: network-neuroscience analysis of artificial neural networks while they learn")
{
    new HelpOption(),
    new VersionOption(),
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
