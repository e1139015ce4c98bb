@echo off
REM Written by eniplane for eni-labsecondary (secondary ENI, device index 1, eth1, MAC 02:00:00:aa:00:02).
REM The cmd.exe alternative to the PowerShell script: run one or the other, as Administrator.
setlocal
set "IFNAME="
for /f "tokens=1,3 delims=," %%a in ('getmac /v /fo csv /nh') do if /i "%%~b"=="02-00-00-AA-00-02" set "IFNAME=%%~a"
if not defined IFNAME (echo No network adapter has MAC 02-00-00-AA-00-02 & exit /b 1)
REM IPv4 to static with the primary address and the gateway in one command (the seed: the primary must be set too)
netsh interface ipv4 set address name="%IFNAME%" source=static address=198.18.1.10 mask=255.255.255.0 gateway=198.18.1.1 gwmetric=0
REM secondary ENI: no policy routing on Windows; a high metric keeps other traffic on the primary ENI
netsh interface ipv4 set interface interface="%IFNAME%" metric=101
REM secondary addresses; skipassource stops Windows from using them as the source of new connections
netsh interface ipv4 add address name="%IFNAME%" address=198.18.1.11 mask=255.255.255.0 skipassource=true
netsh interface ipv4 add address name="%IFNAME%" address=198.18.1.12 mask=255.255.255.0 skipassource=true
netsh interface ipv6 add address interface="%IFNAME%" address=2001:db8:1::10/64
netsh interface ipv6 add address interface="%IFNAME%" address=2001:db8:1::11/64 skipassource=true
netsh interface ipv6 add route prefix=::/0 interface="%IFNAME%" nexthop=2001:db8:1::1
ipconfig
