; Inno Setup 6 script: a per-user installer for 整改台账 (no administrator rights).
; Built by `python packaging\build.py --installer`, which passes the defines below; by hand:
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\rectify /DIconFile=rectify.ico rectify.iss
; IT can preset the update location (see tracker/updates.py) at install time:
;   rectify-setup-0.1.0.exe /SILENT /UPDATELOCATION="\\fileserver\软件\整改台账"
; Saved as UTF-8 with a BOM: Inno Setup 6 then reads the Chinese text correctly.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\rectify"
#endif
#define AppName "整改台账"
#define WindowExe "rectify-window.exe"

[Setup]
; The same AppId in every version: a newer installer upgrades the installed one in place.
AppId={{10F74AAA-A46C-481A-8BBF-06A04753D2A0}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=rectify-tracker
; lowest: installs for the current user only, into %LOCALAPPDATA%\Programs, no UAC prompt.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
OutputBaseFilename=rectify-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
UninstallDisplayIcon={app}\{#WindowExe}
UninstallDisplayName={#AppName}
; An open window holds its DLLs: ask Windows' Restart Manager to close it before replacing files.
CloseApplications=yes
ChangesAssociations=yes
#ifdef IconFile
SetupIconFile={#IconFile}
#endif

[Languages]
; Chinese Simplified is one of Inno Setup's unofficial translations: the CI workflow puts it
; beside this script; without it the wizard falls back to English (the app itself is Chinese).
#ifexist AddBackslash(SourcePath) + "ChineseSimplified.isl"
Name: "zh_CN"; MessagesFile: "{#AddBackslash(SourcePath)}ChineseSimplified.isl"
#else
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
AssocTask=用“整改台账”打开 .sqlite 台账文件
DesktopTask=在桌面上创建快捷方式
LaunchTask=运行整改台账

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopTask}"; Flags: unchecked
Name: "assoc"; Description: "{cm:AssocTask}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle whole: a library left over from an older build must not load.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#WindowExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#WindowExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; HKA is HKCU for a per-user install: the association never touches other users or HKLM.
Root: HKA; Subkey: "Software\Classes\.sqlite\OpenWithProgids"; ValueType: string; ValueName: "Rectify.Ledger"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\Rectify.Ledger"; ValueType: string; ValueName: ""; ValueData: "{#AppName}"; Flags: uninsdeletekey; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\Rectify.Ledger\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#WindowExe},0"; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\Rectify.Ledger\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#WindowExe}"" --db ""%1"""; Tasks: assoc

[INI]
; /UPDATELOCATION= on the command line: where IT will put newer installers.
Filename: "{app}\update.ini"; Section: "update"; Key: "location"; String: "{param:UPDATELOCATION}"; Check: HasUpdateLocation

[Run]
Filename: "{app}\{#WindowExe}"; Description: "{cm:LaunchTask}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: files; Name: "{app}\update.ini"

[Code]
function HasUpdateLocation: Boolean;
begin
  Result := ExpandConstant('{param:UPDATELOCATION}') <> '';
end;
