<?php
// Date and time with fixed timestamps (UTC under -n): date(), DateTime, intervals, periods, formatting many dates.
date_default_timezone_set('UTC');
echo date('Y-m-d H:i:s D N', 0), ' ', date(DATE_ATOM, 1700000000), "\n";
$d = new DateTimeImmutable('2024-02-28 12:00:00');
echo $d->modify('+1 day')->format('Y-m-d'), ' ', $d->modify('+2 days')->format('Y-m-d l'), "\n";
$i = (new DateTime('2020-01-01'))->diff(new DateTime('2024-11-22'));
echo $i->y, 'y ', $i->m, 'm ', $i->d, 'd ', $i->days, "\n";
$p = new DatePeriod(new DateTime('2024-01-01'), new DateInterval('P1D'), 365);
$c = 0; $mondays = 0; foreach ($p as $day) { $c++; if ($day->format('N') === '1') $mondays++; } echo $c, ' ', $mondays, "\n";
$out = []; for ($t = 0; $t < 50000; $t++) $out[] = gmdate('Y-m-d\TH:i', 1600000000 + $t * 3600); echo md5(implode(',', $out)), "\n";
echo mktime(0, 0, 0, 7, 4, 2021), ' ', strtotime('2021-07-04 00:00:00 UTC'), ' ', checkdate(2, 29, 2023) ? 'y' : 'n', "\n";
$tz = new DateTime('2024-06-01 12:00', new DateTimeZone('America/New_York')); echo $tz->format('c T'), ' ', $tz->getOffset(), "\n";
echo DateTime::createFromFormat('d/m/Y H:i', '15/08/2022 10:30')->format('U'), "\n";
var_dump(date_parse('2006-12-12 10:00:00.5')['fraction']);
