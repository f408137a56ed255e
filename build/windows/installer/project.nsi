# A 64-bit installer for a 64-bit program (it also runs under Debian's
# wine64 in the test, which has no 32-bit side). Unicode: paths like
# C:\Praxis Müller.
Target amd64-unicode
SetCompressor /SOLID lzma

# Quietdesk's Windows installer, built by `make dist` (wails build -nsis;
# Debian's makensis). Wails regenerates wails_tools.nsh at every build; this
# file is ours and Wails leaves it alone.
#
# - Per-user: installs into %LOCALAPPDATA%\Programs\Quietdesk and writes only
#   to the current user's registry, so no administrator is needed.
# - Start-menu and desktop shortcuts; "Apps & features" lists it with its
#   version and icon, and uninstalls it.
# - The uninstaller removes the program and never the practice's data folder
#   (%LOCALAPPDATA%\Quietdesk), and says so.

!define REQUEST_EXECUTION_LEVEL "user"
!include "wails_tools.nsh"
!include "LogicLib.nsh"

VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"
VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

ManifestDPIAware true

!define DATA_FOLDER "$LOCALAPPDATA\${INFO_PRODUCTNAME}"
!define KEPT_DATA_NOTE "Your practice's data was not removed: it stays in ${DATA_FOLDER} (encrypted). Installing Quietdesk again opens it. To erase it, delete that folder yourself after making sure another office computer or a backup holds the practice."

!include "MUI2.nsh"
!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe"
InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show

Function .onInit
    !insertmacro wails.checkArchitecture
    SetShellVarContext current
FunctionEnd

Section
    SetShellVarContext current
    # The window needs Microsoft's WebView2 runtime (Windows 11 and updated
    # Windows 10 have it). A silent install (/S, for IT deployment) leaves
    # that to the administrator instead of starting a download.
    ${IfNot} ${Silent}
        !insertmacro wails.webview2runtime
    ${EndIf}

    SetOutPath $INSTDIR
    !insertmacro wails.files
    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    CreateShortcut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    WriteUninstaller "$INSTDIR\uninstall.exe"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${INFO_PRODUCTNAME}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${INFO_PRODUCTVERSION}"
    WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${INFO_COMPANYNAME}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
    WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
    WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
    WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
    ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
    IntFmt $0 "0x%08X" $0
    WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "uninstall"
    SetShellVarContext current
    # Only what the installer put there: a folder the user chose may hold
    # other files.
    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"
    # The window's WebView2 cache (no practice data lives there).
    RMDir /r "$APPDATA\${PRODUCT_EXECUTABLE}"
    DeleteRegKey HKCU "${UNINST_KEY}"

    DetailPrint "${KEPT_DATA_NOTE}"
    MessageBox MB_OK|MB_ICONINFORMATION "${KEPT_DATA_NOTE}" /SD IDOK
SectionEnd
