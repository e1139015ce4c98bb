@echo off
REM Written by eniplane for eni-bp1seedexample (primary ENI, eth0, MAC 00:16:3e:16:43:aa).
REM The cmd.exe alternative to the PowerShell script: run one or the other, as Administrator.
setlocal
set "IFNAME="
for /f "tokens=1,3 delims=," %%a in ('getmac /v /fo csv /nh') do if /i "%%~b"=="00-16-3E-16-43-AA" set "IFNAME=%%~a"
if not defined IFNAME (echo No network adapter has MAC 00-16-3E-16-43-AA & exit /b 1)
REM IPv4 to static with the primary address and the gateway in one command (the seed: the primary must be set too)
netsh interface ipv4 set address name="%IFNAME%" source=static address=192.168.1.201 mask=255.255.255.0 gateway=192.168.1.253 gwmetric=0
REM secondary addresses; skipassource stops Windows from using them as the source of new connections
netsh interface ipv4 add address name="%IFNAME%" address=192.168.1.202 mask=255.255.255.0 skipassource=true
netsh interface ipv4 add address name="%IFNAME%" address=192.168.1.203 mask=255.255.255.0 skipassource=true
netsh interface ipv4 set dnsservers name="%IFNAME%" source=static address=223.5.5.5 register=primary validate=no
netsh interface ipv4 add dnsservers name="%IFNAME%" address=223.6.6.6 index=2 validate=no
ipconfig
