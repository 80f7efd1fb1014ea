using System.CommandLine;
using AnnScope.Cli;
using AnnScope.Cli.Commands;

var root = new RootCommand("AnnScope: network-neuroscience analysis of artificial neural networks while they learn")
{
    DevicesCommand.Create(),
    FcCommand.Create(),
    TrainCommand.Create(),
};
return Cli.Run(root, args);
