# AnnScope build driver for Windows (PowerShell 7+). Same verbs as build.sh:
#   ./build.ps1 build | test | run [study args] | pack
# Prerequisites (not installed by this script on Windows):
#   - Visual Studio 2022 Build Tools (C compiler) and CMake >= 3.20 on PATH
#   - Intel oneMKL: set MKLROOT (e.g. C:\Program Files (x86)\Intel\oneAPI\mkl\latest); CMake's FindBLAS
#     with BLA_VENDOR=Intel10_64lp_seq uses it
#   - optional OpenCL SDK (headers + OpenCL.lib) for the OpenCL backend
#   - .NET 10 SDK
param([Parameter(Position = 0)][string]$Command = "build", [Parameter(ValueFromRemainingArguments)]$Rest)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$Art = Join-Path $PSScriptRoot "artifacts"
$Config = if ($env:CONFIG) { $env:CONFIG } else { "Release" }

function Require($name, $hint) {
  if (-not (Get-Command $name -ErrorAction SilentlyContinue)) { throw "$name not found: $hint" }
}

function Build-All {
  Require cmake "install CMake 3.20+"
  Require dotnet "install the .NET 10 SDK"
  if (-not $env:MKLROOT) { throw "MKLROOT is not set: install Intel oneMKL and run its setvars script" }
  cmake -S . -B "$Art/native" -DCMAKE_BUILD_TYPE=$Config
  if ($LASTEXITCODE) { throw "cmake configure failed" }
  cmake --build "$Art/native" --config $Config
  if ($LASTEXITCODE) { throw "native build failed" }
  $dll = Get-ChildItem "$Art/native" -Recurse -Filter annscope.dll | Select-Object -First 1
  New-Item -ItemType Directory -Force "$Art/native/native" | Out-Null
  Copy-Item $dll.FullName "$Art/native/native/annscope.dll" -Force
  dotnet build Core.sln -c $Config -nologo -v:q
  if ($LASTEXITCODE) { throw "dotnet build failed" }
  dotnet publish src/AnnScope.Cli/AnnScope.Cli.csproj -c $Config --no-build -nologo -v:q -o "$Art/bin"
  if ($LASTEXITCODE) { throw "dotnet publish failed" }
  Copy-Item "$Art/bin/AnnScope.Cli.exe" "$Art/bin/annscope.exe" -Force
  Write-Host "CLI: artifacts/bin/annscope.exe"
}

switch ($Command) {
  "build" { Build-All }
  "test" {
    Build-All
    Push-Location "$Art/native"; ctest -C $Config --output-on-failure; $rc = $LASTEXITCODE; Pop-Location
    if ($rc) { throw "ctest failed" }
    dotnet test Core.sln -c $Config --no-build -nologo
    if ($LASTEXITCODE) { throw "dotnet test failed" }
  }
  "run" { Build-All; & "$Art/bin/annscope.exe" study @Rest; exit $LASTEXITCODE }
  "pack" {
    # the packages carry runtimes/win-x64/native/annscope.dll (and linux-x64 when artifacts/native holds it)
    Build-All
    Remove-Item -Recurse -Force "$Art/packages" -ErrorAction SilentlyContinue
    dotnet pack Core.sln -c $Config -nologo -v:q -p:ContinuousIntegrationBuild=true
    if ($LASTEXITCODE) { throw "dotnet pack failed" }
  }
  default { throw "usage: ./build.ps1 build|test|run|pack" }
}
