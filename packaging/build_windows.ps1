# Build the Windows app (PyInstaller, one folder), smoke-test it and zip it. From a checkout,
# on Windows 10/11 with Python 3.11+ from python.org (the "py" launcher):
#
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
#
# Output: dist\paris-desk\paris-desk.exe (the app, no console), dist\paris-desk\paris-desk-cli.exe
# (the command line) and dist\paris-desk-VERSION-windows-x64.zip. Not run in this repository's CI
# (Linux only); see packaging/README.md.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$PyInstallerVersion = "6.22.3"  # what requirements\packaging.lock pins (tests/test_lock.py)

if (-not (Test-Path .venv\Scripts\python.exe)) { py -3.11 -m venv .venv }
# The app's dependencies and PyInstaller from the hashed lock (scripts/lock.sh), then the app.
.venv\Scripts\python -m pip install -q --disable-pip-version-check --require-hashes -r requirements\packaging.lock
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
.venv\Scripts\python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

Remove-Item -Recurse -Force dist\paris-desk, build\pyinstaller -ErrorAction SilentlyContinue
$build = Measure-Command {
    .venv\Scripts\pyinstaller --noconfirm --clean --log-level WARN `
        --distpath dist --workpath build\pyinstaller packaging\paris_desk.spec
}
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# Self-check, GUI on the sandbox (offscreen), sandbox serve, CLI round trip: the same smoke test
# as on Linux, through the console executable; the keyring is the in-memory sandbox one.
.venv\Scripts\python packaging\smoke_test.py dist\paris-desk\paris-desk-cli.exe --keyring memory
if ($LASTEXITCODE -ne 0) { throw "smoke test failed" }
# The windowed executable: PowerShell does not wait for GUI programs unless asked.
$env:QT_QPA_PLATFORM = "offscreen"; $env:PARIS_DESK_QUIT_AFTER_MS = "3000"
$env:PARIS_DESK_HOME = Join-Path $env:TEMP "paris-desk-smoke-gui"
$gui = Start-Process dist\paris-desk\paris-desk.exe -ArgumentList "--sandbox" -Wait -PassThru
Remove-Item Env:QT_QPA_PLATFORM, Env:PARIS_DESK_QUIT_AFTER_MS, Env:PARIS_DESK_HOME
if ($gui.ExitCode -ne 0) { throw "paris-desk.exe --sandbox exited $($gui.ExitCode)" }

$version = .venv\Scripts\python -c "import paris_desk; print(paris_desk.__version__)"
$zip = "dist\paris-desk-$version-windows-x64.zip"
Compress-Archive -Path dist\paris-desk -DestinationPath $zip -Force
"build time: {0:N1} s" -f $build.TotalSeconds
"dist size:  {0:N0} MB" -f ((Get-ChildItem dist\paris-desk -Recurse | Measure-Object Length -Sum).Sum / 1MB)
"zip:        $zip"
