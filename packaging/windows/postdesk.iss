; Inno Setup 6 script: dist\PostDesk\ (the PyInstaller bundle) -> PostDesk-Setup-<version>.exe
;
; A per-user install that needs no administrator rights: into
; %LOCALAPPDATA%\Programs\PostDesk, a Start menu entry, an uninstaller in
; Settings > Apps, optionally a desktop icon and `postdesk` on the user's PATH.
; Run through `python packaging/build.py --installer`, which passes the defines:
;   AppVersion (0.1.0), AppVersionNumeric (0.1.0.0), SourceDir, OutputDir, IconFile
#ifndef AppVersion
  #error Run this through packaging/build.py --installer (AppVersion is not defined)
#endif

[Setup]
; The AppId identifies PostDesk across versions (upgrades, uninstall): never change it.
AppId={{5B0B8C51-7E2F-4C1D-9A55-3F6B2D8E4A17}
AppName=PostDesk
AppVersion={#AppVersion}
AppVerName=PostDesk {#AppVersion}
AppPublisher=PostDesk
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName=PostDesk
PrivilegesRequired=lowest
DefaultDirName={autopf}\PostDesk
DefaultGroupName=PostDesk
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir={#OutputDir}
OutputBaseFilename=PostDesk-Setup-{#AppVersion}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\postdesk.exe
UninstallDisplayName=PostDesk {#AppVersion}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; PATH changes reach Explorer (and new terminals) without signing out.
ChangesEnvironment=yes
; An older PostDesk still running is closed (and restarted) rather than left locking files.
CloseApplications=yes

[Languages]
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
ja.AddToPath=コマンドラインで postdesk を使えるようにする（ユーザーの PATH に追加）
en.AddToPath=Use postdesk from the command line (add it to your PATH)
ja.CommandLine=コマンドライン:
en.CommandLine=Command line:

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "{cm:AddToPath}"; GroupDescription: "{cm:CommandLine}"; Flags: unchecked

[InstallDelete]
; The bundle's files change names between versions: start each upgrade from a clean folder.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; postdesk.exe is the windowed twin: no console window opens with it.
Name: "{autoprograms}\PostDesk"; Filename: "{app}\postdesk.exe"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\PostDesk"; Filename: "{app}\postdesk.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\postdesk.exe"; Description: "{cm:LaunchProgram,PostDesk}"; Flags: nowait postinstall skipifsilent

[Code]
const
  EnvironmentKey = 'Environment';

{ The 1-based position of Dir in the ;-separated Paths (case-insensitive), or 0. }
function PathPosition(Paths, Dir: string): Integer;
begin
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';');
end;

procedure AddToUserPath(Dir: string);
var
  Paths: string;
begin
  if not RegQueryStringValue(HKCU, EnvironmentKey, 'Path', Paths) then
    Paths := '';
  if PathPosition(Paths, Dir) > 0 then
    exit;
  if (Paths <> '') and (Copy(Paths, Length(Paths), 1) <> ';') then
    Paths := Paths + ';';
  RegWriteExpandStringValue(HKCU, EnvironmentKey, 'Path', Paths + Dir);
end;

procedure RemoveFromUserPath(Dir: string);
var
  Paths: string;
  P: Integer;
begin
  if not RegQueryStringValue(HKCU, EnvironmentKey, 'Path', Paths) then
    exit;
  P := PathPosition(Paths, Dir);
  if P = 0 then
    exit;
  if P > 1 then
    Delete(Paths, P - 1, Length(Dir) + 1)   { with the ';' before it }
  else
    Delete(Paths, P, Length(Dir) + 1);      { first entry: with the ';' after it }
  RegWriteExpandStringValue(HKCU, EnvironmentKey, 'Path', Paths);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath') then
    AddToUserPath(ExpandConstant('{app}'));
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RemoveFromUserPath(ExpandConstant('{app}'));
end;
