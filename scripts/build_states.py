# ruff: noqa: E501
"""Build src/diplograph/data/states.json from pycountry plus the hand-written table below.

Run once when the table changes: ``python scripts/build_states.py``. The runtime reads only the
generated JSON. Table columns (``|``-separated, ``,`` between values, empty when none):

    code | name override | demonyms (``adjective/plural people``) | capital (current first,
    then former names) | other places | aliases | metonyms (``name=SECTOR``)

A demonym without ``/plural`` gets the plural ``+s`` unless it ends in s, sh, ch or ese.
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "diplograph" / "data" / "states.json"

# Names that are also common words or given names: the entity ruler leaves them to the model.
AMBIGUOUS = {
    "Chad",
    "Jordan",
    "Georgia",
    "Jersey",
    "Guernsey",
    "Victoria",
    "Hamilton",
    "Man",
    "Turkey",
    "Niger",
    "Guinea",
    "Dominica",
    "Mali",
    "Israel",
    "Cuba",
    "Kingston",
    "Santiago",
    "Georgetown",
    "Lima",
    "Sucre",
    "Juba",
    "Colombo",
    "Nice",
    "Washington",
    "Panama",
    "Monaco",
    "Djibouti",
    "Kuwait",
    "Singapore",
    "Luxembourg",
    "Mexico",
    "Tripoli",
    "America",
    "Valletta",
    "Andorra",
}
AMBIGUOUS -= {
    "Israel",
    "Cuba",
    "Mali",
    "Niger",
    "Guinea",
    "Panama",
    "Monaco",
    "Djibouti",
    "Kuwait",
    "Singapore",
    "Luxembourg",
    "Mexico",
    "Tripoli",
    "Washington",
    "America",
    "Colombo",
    "Valletta",
    "Andorra",
    "Turkey",
    "Lima",
    "Juba",
}

TABLE = """
ABW||Aruban||||
AFG||Afghan/Afghans|Kabul|Kandahar,Herat,Mazar-i-Sharif,Jalalabad,Helmand,Kunduz,Ghazni,Panjshir,Bagram|Islamic Emirate of Afghanistan|
AGO||Angolan|Luanda|||
AIA||Anguillan||||
ALA||Ålander||||
ALB||Albanian|Tirana,Tirane||||
AND||Andorran|Andorra la Vella|||
ARE|United Arab Emirates|Emirati,Emirian|Abu Dhabi|Dubai,Sharjah|UAE,U.A.E.,the Emirates,Emirates|
ARG||Argentine,Argentinian|Buenos Aires|||Casa Rosada=GOV
ARM||Armenian|Yerevan|Gyumri|Republic of Armenia|
ASM||American Samoan|Pago Pago|||
ATA||Antarctic||||
ATF||||||
ATG||Antiguan|St. John's|||
AUS||Australian|Canberra|Sydney,Melbourne,Brisbane,Perth||
AUT||Austrian|Vienna,Wien|Salzburg,Graz||Hofburg=GOV
AZE||Azerbaijani,Azeri|Baku|Ganja,Nakhchivan||
BDI||Burundian|Gitega,Bujumbura|||
BEL||Belgian|Brussels|Antwerp,Ghent,Liège||
BEN||Beninese|Porto-Novo,Cotonou|||
BES||||||
BFA||Burkinabe,Burkinabè/Burkinabe|Ouagadougou|Bobo-Dioulasso||
BGD||Bangladeshi|Dhaka,Dacca|Chittagong,Cox's Bazar||
BGR||Bulgarian|Sofia|Plovdiv,Varna||
BHR||Bahraini|Manama|||
BHS||Bahamian|Nassau||The Bahamas|
BIH||Bosnian,Bosniak,Herzegovinian|Sarajevo|Banja Luka,Mostar,Srebrenica|Bosnia|
BLM||||||
BLR||Belarusian,Belarussian,Byelorussian|Minsk|Brest,Gomel,Vitebsk,Grodno|Byelorussia,Belorussia|
BLZ||Belizean|Belmopan|Belize City||
BMU||Bermudian|Hamilton|||
BOL|Bolivia|Bolivian|La Paz,Sucre|Santa Cruz,Cochabamba|Plurinational State of Bolivia|
BRA||Brazilian|Brasília,Brasilia|São Paulo,Sao Paulo,Rio de Janeiro||Planalto=GOV,Itamaraty=GOV
BRB||Barbadian,Bajan|Bridgetown|||
BRN|Brunei|Bruneian|Bandar Seri Begawan||Brunei Darussalam|
BTN||Bhutanese|Thimphu|||
BVT||||||
BWA||Botswanan,Motswana/Batswana|Gaborone|||
CAF||Central African|Bangui||CAR|
CAN||Canadian|Ottawa|Toronto,Montreal,Vancouver,Quebec||Parliament Hill=LEG
CCK||||||
CHE||Swiss|Bern,Berne|Geneva,Zurich,Zürich,Lausanne,Davos,Basel|Swiss Confederation,Confederation of Switzerland|
CHL||Chilean|Santiago|Valparaíso,Valparaiso||La Moneda=GOV
CHN||Chinese|Beijing,Peking|Shanghai,Guangzhou,Shenzhen,Wuhan,Chongqing,Tianjin,Xinjiang,Urumqi,Tibet,Lhasa,Xi'an|PRC,P.R.C.,Mainland China,the People's Republic|Zhongnanhai=GOV,Great Hall of the People=GOV,People's Liberation Army=MIL,PLA=MIL
CIV|Côte d'Ivoire|Ivorian|Yamoussoukro,Abidjan||Ivory Coast,Cote d'Ivoire,Republic of Côte d'Ivoire|
CMR||Cameroonian|Yaoundé,Yaounde|Douala||
COD|Democratic Republic of the Congo|Congolese|Kinshasa|Goma,Lubumbashi,Bukavu,Kisangani|DR Congo,DRC,D.R.C.,DR of Congo,Democratic Republic of Congo,Congo-Kinshasa,Zaire|
COG|Republic of the Congo|Congolese|Brazzaville|Pointe-Noire|Congo,Congo-Brazzaville,Republic of Congo|
COK||Cook Islander||||
COL||Colombian|Bogotá,Bogota|Medellín,Medellin,Cali,Cartagena||Casa de Nariño=GOV
COM||Comorian|Moroni||Comoros Islands|
CPV||Cape Verdean|Praia||Cape Verde|
CRI||Costa Rican|San José|||
CUB||Cuban|Havana|Santiago de Cuba,Guantanamo||
CUW||Curaçaoan|Willemstad|||
CXR||||||
CYM||Caymanian||||
CYP||Cypriot|Nicosia|Limassol,Larnaca,Famagusta||
CZE||Czech|Prague|Brno,Ostrava|Czech Republic|Prague Castle=GOV
DEU||German|Berlin,Bonn|Munich,Hamburg,Frankfurt,Cologne,Stuttgart,Düsseldorf,Dresden,Leipzig|FRG,West Germany,East Germany|Bundestag=LEG,Bundesrat=LEG,Bundeswehr=MIL,Chancellery=GOV
DJI||Djiboutian|Djibouti City|||
DMA|||Roseau|||
DNK||Danish/Danes|Copenhagen|Aarhus|Denmark|Folketing=LEG,Christiansborg=GOV
DOM||Dominican|Santo Domingo||Dominican Republic|
DZA||Algerian|Algiers|Oran,Constantine||El Mouradia=GOV
ECU||Ecuadorian|Quito|Guayaquil||
EGY||Egyptian|Cairo|Alexandria,Sinai,Suez,Port Said,Sharm el-Sheikh,Luxor|Egypt|
ERI||Eritrean|Asmara|Massawa,Assab|State of Eritrea|
ESH||Sahrawi,Western Saharan|Laayoune,El Aaiún|||
ESP||Spanish/Spaniards|Madrid|Barcelona,Seville,Catalonia,Bilbao||Moncloa=GOV,Cortes=LEG
EST||Estonian|Tallinn|Tartu,Narva||
ETH||Ethiopian|Addis Ababa|Tigray,Mekelle,Amhara,Oromia,Gondar,Bahir Dar||
FIN||Finnish/Finns|Helsinki|Turku,Tampere||
FJI||Fijian|Suva|||
FLK||Falkland Islander|||Falkland Islands,Falklands,Malvinas|
FRA||French/French|Paris|Marseille,Lyon,Strasbourg,Nice,Toulouse,Bordeaux,Lille,Calais|French Republic|Élysée=GOV,Elysee=GOV,Élysée Palace=GOV,Elysee Palace=GOV,Quai d'Orsay=GOV,Matignon=GOV
FRO||Faroese||||
FSM|Micronesia|Micronesian|Palikir||Federated States of Micronesia|
GAB||Gabonese|Libreville|||
GBR|United Kingdom|British/Britons,Briton/Britons,English,Scottish,Welsh,Northern Irish|London|Edinburgh,Cardiff,Belfast,Manchester,Birmingham,Glasgow,Liverpool|UK,U.K.,Britain,Great Britain,the United Kingdom,England,Scotland,Wales,Northern Ireland|Downing Street=GOV,Whitehall=GOV,Westminster=LEG,Foreign Office=GOV,Number 10=GOV,No 10=GOV,MI6=GOV,MI5=GOV,Ministry of Defence=MIL,House of Commons=LEG,House of Lords=LEG,Buckingham Palace=GOV
GEO||Georgian|Tbilisi|Batumi,Kutaisi,Abkhazia,South Ossetia,Sukhumi,Tskhinvali||
GGY||||||
GHA||Ghanaian|Accra|Kumasi||
GIB||Gibraltarian||||
GIN||Guinean|Conakry|||
GLP||Guadeloupean||||
GMB||Gambian|Banjul||The Gambia|
GNB||Bissau-Guinean|Bissau|||
GNQ||Equatorial Guinean,Equatoguinean|Malabo|||
GRC||Greek/Greeks,Hellenic/-|Athens|Thessaloniki,Piraeus,Lesbos,Crete|Hellas|Maximos Mansion=GOV
GRD||Grenadian|St. George's|||
GRL||Greenlandic,Greenlander|Nuuk|||
GTM||Guatemalan|Guatemala City|||
GUF||French Guianese|Cayenne|||
GUM||Guamanian|Hagåtña|||
GUY||Guyanese|Georgetown|||
HKG||Hongkonger,Hong Konger|||Hong Kong SAR|
HMD||||||
HND||Honduran|Tegucigalpa|San Pedro Sula||
HRV||Croatian,Croat|Zagreb|Split,Dubrovnik,Vukovar||
HTI||Haitian|Port-au-Prince|Cap-Haïtien||
HUN||Hungarian|Budapest|Debrecen,Szeged||
IDN||Indonesian|Jakarta|Surabaya,Bali,Aceh,Papua,Nusantara||
IMN||Manx|||Isle of Man|
IND||Indian|New Delhi,Delhi|Mumbai,Bombay,Kolkata,Calcutta,Chennai,Madras,Bangalore,Bengaluru,Hyderabad,Kashmir,Srinagar,Jammu,Ladakh,Manipur|Bharat|South Block=GOV,Rashtrapati Bhavan=GOV,Lok Sabha=LEG,Rajya Sabha=LEG
IOT||||||
IRL|Ireland|Irish/Irish|Dublin|Cork,Galway|Republic of Ireland,Eire|Dáil=LEG,Leinster House=LEG
IRN|Iran|Iranian,Persian|Tehran,Teheran|Isfahan,Mashhad,Shiraz,Tabriz,Qom,Natanz,Fordow,Bushehr,Bandar Abbas|Islamic Republic of Iran,Persia,Islamic Republic|Islamic Revolutionary Guard Corps=MIL,IRGC=MIL,Revolutionary Guards=MIL,Revolutionary Guard=MIL,Quds Force=MIL,Majlis=LEG
IRQ||Iraqi|Baghdad|Mosul,Basra,Erbil,Kirkuk,Fallujah,Ramadi,Tikrit,Najaf,Karbala,Sulaymaniyah,Anbar,Sinjar,Tal Afar,Kurdistan Region,Iraqi Kurdistan|Republic of Iraq|Green Zone=GOV
ISL||Icelandic,Icelander|Reykjavik,Reykjavík|||Althing=LEG
ISR||Israeli|Jerusalem|Tel Aviv,Haifa,Eilat,Beersheba,Ashkelon,Sderot,Golan Heights,Golan|State of Israel|Knesset=LEG,IDF=MIL,Israel Defense Forces=MIL,Israel Defence Forces=MIL,Mossad=GOV,Shin Bet=GOV
ITA||Italian|Rome|Milan,Naples,Turin,Florence,Venice,Genoa,Sicily,Lampedusa|Italian Republic|Palazzo Chigi=GOV,Quirinale=GOV,Farnesina=GOV
JAM||Jamaican|Kingston|Montego Bay||
JEY||||||
JOR||Jordanian|Amman|Aqaba,Zarqa,Irbid|Hashemite Kingdom|
JPN||Japanese|Tokyo|Osaka,Kyoto,Yokohama,Hiroshima,Nagasaki,Okinawa,Fukushima,Hokkaido|Nippon|Kantei=GOV,National Diet=LEG,Kasumigaseki=GOV
KAZ||Kazakh,Kazakhstani,Kazak|Astana,Nur-Sultan,Akmola,Aqmola,Tselinograd,Akmolinsk|Almaty,Alma-Ata,Shymkent,Karaganda,Aktau,Atyrau,Aktobe,Semey,Baikonur,Turkestan,Kyzylorda|Qazaqstan,Republic of Kazakhstan|Akorda=GOV,Ak Orda=GOV,Mazhilis=LEG,Majilis=LEG,Mazhilis of the Parliament=LEG,Senate of Kazakhstan=LEG
KEN||Kenyan|Nairobi|Mombasa,Kisumu||
KGZ||Kyrgyz,Kirghiz,Kyrgyzstani|Bishkek,Frunze|Osh,Jalal-Abad,Batken|Kyrgyz Republic,Kirghizia,Kyrgyzia|Jogorku Kenesh=LEG,Ala-Archa=GOV
KHM||Cambodian,Khmer|Phnom Penh|Siem Reap,Battambang|Kampuchea|
KIR||I-Kiribati/I-Kiribati|Tarawa,South Tarawa|||
KNA||Kittitian,Nevisian|Basseterre||St Kitts and Nevis|
KOR|South Korea|South Korean|Seoul|Busan,Pusan,Incheon,Daegu,Gwangju,Panmunjom|Republic of Korea,ROK,R.O.K.,Korea|Blue House=GOV,Cheong Wa Dae=GOV,Yongsan=GOV,National Assembly of Korea=LEG
KWT||Kuwaiti|Kuwait City||State of Kuwait|
LAO|Laos|Lao/-,Laotian|Vientiane|Luang Prabang|Lao PDR,Lao People's Democratic Republic|
LBN||Lebanese/Lebanese|Beirut|Sidon,Tyre,Baalbek,Bekaa,Byblos|Lebanese Republic|Baabda=GOV,Grand Serail=GOV
LBR||Liberian|Monrovia|||
LBY||Libyan|Tripoli|Benghazi,Misrata,Sirte,Tobruk,Derna,Sabha,Zawiya|State of Libya|
LCA||Saint Lucian|Castries||St Lucia,St. Lucia|
LIE||Liechtensteiner|Vaduz|||
LKA||Sri Lankan|Colombo,Sri Jayawardenepura Kotte|Kandy,Jaffna|Ceylon|
LSO||Basotho/Basotho,Mosotho/Basotho|Maseru|||
LTU||Lithuanian|Vilnius|Kaunas,Klaipeda||Seimas=LEG
LUX||Luxembourgish,Luxembourger|Luxembourg City||Grand Duchy|
LVA||Latvian|Riga|Daugavpils||Saeima=LEG
MAC||Macanese|||Macau|
MAF||||||
MAR||Moroccan|Rabat|Casablanca,Marrakech,Tangier,Fez||Makhzen=GOV
MCO||Monegasque|Monaco-Ville||Principality of Monaco|
MDA|Moldova|Moldovan|Chișinău,Chisinau,Kishinev|Tiraspol,Transnistria,Transdniestria,Gagauzia||
MDG||Malagasy/Malagasy|Antananarivo|||
MDV||Maldivian|Malé||Maldive Islands|
MEX||Mexican|Mexico City|Guadalajara,Monterrey,Tijuana,Ciudad Juárez,Ciudad Juarez,Sinaloa,Culiacán|United Mexican States|Los Pinos=GOV,Palacio Nacional=GOV
MHL||Marshallese/Marshallese|Majuro|||
MKD||Macedonian,North Macedonian|Skopje|Ohrid,Bitola|Macedonia,FYROM,Former Yugoslav Republic of Macedonia|
MLI||Malian|Bamako|Timbuktu,Gao,Kidal,Mopti,Ménaka|Republic of Mali|Koulouba=GOV
MLT||Maltese/Maltese|Valletta|||
MMR||Myanmar/-,Burmese/Burmese|Naypyidaw,Nay Pyi Taw,Naypyitaw|Yangon,Rangoon,Mandalay,Rakhine,Arakan,Shan State,Kachin State,Sittwe|Burma|Tatmadaw=MIL
MNE||Montenegrin|Podgorica|Cetinje||
MNG||Mongolian,Mongol|Ulaanbaatar,Ulan Bator|Erdenet,Darkhan||
MNP||Northern Mariana Islander|Saipan|||
MOZ||Mozambican|Maputo|Beira,Cabo Delgado,Pemba,Nampula||
MRT||Mauritanian|Nouakchott|Nouadhibou||
MSR||Montserratian||||
MTQ||Martiniquais|Fort-de-France|||
MUS||Mauritian|Port Louis|||
MWI||Malawian|Lilongwe|Blantyre||
MYS||Malaysian|Kuala Lumpur,Putrajaya|Penang,Sabah,Sarawak,Johor||
MYT||Mahoran||||
NAM||Namibian|Windhoek|Walvis Bay||
NCL||New Caledonian|Nouméa,Noumea|||
NER||Nigerien|Niamey|Agadez,Tillabéri,Diffa||
NFK||||||
NGA||Nigerian|Abuja|Lagos,Kano,Maiduguri,Borno,Port Harcourt,Ibadan,Kaduna|Federal Republic of Nigeria|Aso Rock=GOV
NIC||Nicaraguan|Managua|||
NIU||Niuean|Alofi|||
NLD||Dutch/Dutch|Amsterdam,The Hague|Rotterdam,Utrecht,Eindhoven|Holland,the Netherlands|Binnenhof=GOV
NOR||Norwegian|Oslo|Bergen,Trondheim,Svalbard||Storting=LEG
NPL||Nepali,Nepalese|Kathmandu|Pokhara||
NRU||Nauruan|Yaren|||
NZL||New Zealander|Wellington|Auckland,Christchurch||
OMN||Omani|Muscat|Salalah,Sohar||
PAK||Pakistani|Islamabad|Karachi,Lahore,Rawalpindi,Peshawar,Quetta,Balochistan,Waziristan,Khyber Pakhtunkhwa,Multan|Islamic Republic of Pakistan|ISI=GOV
PAN||Panamanian|Panama City|Colón||
PCN||Pitcairn Islander||||
PER||Peruvian|Lima|Cusco,Arequipa||
PHL||Filipino,Philippine/-|Manila|Quezon City,Davao,Cebu,Mindanao,Marawi|the Philippines|Malacañang=GOV,Malacanang=GOV
PLW||Palauan|Ngerulmud,Melekeok|||
PNG||Papua New Guinean|Port Moresby|Bougainville||
POL||Polish/Poles|Warsaw|Krakow,Kraków,Gdansk,Gdańsk,Wroclaw,Lodz,Rzeszow|Republic of Poland|Sejm=LEG,Belweder=GOV
PRI||Puerto Rican|San Juan|||
PRK|North Korea|North Korean|Pyongyang|Kaesong,Yongbyon,Sinuiju,Wonsan|DPRK,D.P.R.K.,Democratic People's Republic of Korea|Korean People's Army=MIL
PRT||Portuguese/Portuguese|Lisbon|Porto,Oporto||
PRY||Paraguayan|Asunción,Asuncion|||
PSE|Palestine|Palestinian|Ramallah,East Jerusalem|Gaza,Gaza City,Gaza Strip,West Bank,Rafah,Khan Younis,Jenin,Nablus,Hebron,Bethlehem,Jabalia|State of Palestine,Palestinian territories,occupied Palestinian territories,Palestinian Authority|Mukataa=GOV
PYF||French Polynesian|Papeete||Tahiti|
QAT||Qatari|Doha|||
REU||Réunionese||||
ROU||Romanian|Bucharest|Cluj-Napoca,Constanta,Timisoara,Iasi||Cotroceni=GOV
RUS|Russia|Russian|Moscow|St Petersburg,St. Petersburg,Saint Petersburg,Leningrad,Vladivostok,Sochi,Kaliningrad,Chechnya,Grozny,Belgorod,Kursk,Rostov-on-Don,Novosibirsk,Yekaterinburg,Kazan,Murmansk,Sevastopol|Russian Federation,Soviet Union,USSR,U.S.S.R.,Soviet Russia|Kremlin=GOV,the Kremlin=GOV,State Duma=LEG,Duma=LEG,Federation Council=LEG,FSB=GOV,Wagner Group=MIL,Wagner=MIL,Smolensk Square=GOV
RWA||Rwandan,Rwandese|Kigali|||Urugwiro=GOV
SAU||Saudi,Saudi Arabian|Riyadh|Jeddah,Mecca,Makkah,Medina,Dammam,Neom|KSA,Kingdom of Saudi Arabia|
SDN||Sudanese/Sudanese|Khartoum|Omdurman,Port Sudan,Darfur,El Fasher,Kordofan,Blue Nile,Geneina|Republic of the Sudan,the Sudan|Rapid Support Forces=MIL
SEN||Senegalese|Dakar|Thiès,Touba,Casamance||
SGP||Singaporean|||Republic of Singapore|
SGS||||||
SHN||Saint Helenian|||St Helena|
SJM||||||
SLB||Solomon Islander|Honiara||Solomons|
SLE||Sierra Leonean|Freetown|||
SLV||Salvadoran,Salvadorean|San Salvador|||
SMR||Sammarinese/Sammarinese|San Marino City|||
SOM||Somali,Somalian|Mogadishu|Kismayo,Baidoa,Hargeisa,Puntland,Somaliland,Berbera|Federal Republic of Somalia|Villa Somalia=GOV
SPM||||||
SRB||Serbian,Serb|Belgrade|Novi Sad,Nis,Niš,Vojvodina||
SSD||South Sudanese/South Sudanese|Juba|Malakal,Bentiu||
STP||Santomean|São Tomé,Sao Tome||Sao Tome and Principe|
SUR||Surinamese|Paramaribo|||
SVK||Slovak,Slovakian|Bratislava|Kosice,Košice||
SVN||Slovenian,Slovene|Ljubljana|Maribor||
SWE||Swedish/Swedes|Stockholm|Gothenburg,Malmö,Malmo||Riksdag=LEG,Rosenbad=GOV
SWZ||Swazi|Mbabane,Lobamba||Swaziland|
SXM||||||
SYC||Seychellois/Seychellois|Victoria|||
SYR|Syria|Syrian|Damascus|Aleppo,Idlib,Homs,Hama,Raqqa,Deir ez-Zor,Deir al-Zour,Latakia,Tartus,Daraa,Kobani,Afrin,Manbij,Qamishli,Ghouta,Douma,Palmyra|Syrian Arab Republic|
TCA||Turks and Caicos Islander|Cockburn Town|||
TCD||Chadian|N'Djamena,Ndjamena|Abéché||
TGO||Togolese/Togolese|Lomé,Lome|||
THA||Thai/Thais|Bangkok|Chiang Mai,Phuket,Pattaya|Siam|Government House of Thailand=GOV
TJK||Tajik,Tajikistani|Dushanbe,Stalinabad|Khujand,Khorog,Kulob,Gorno-Badakhshan|Republic of Tajikistan|
TKL||Tokelauan||||
TKM||Turkmen/Turkmens,Turkmenistani|Ashgabat,Ashkhabad|Turkmenbashi,Turkmenabat||
TLS|Timor-Leste|Timorese/Timorese,East Timorese|Dili||East Timor|
TON||Tongan|Nuku'alofa|||
TTO||Trinidadian,Tobagonian|Port of Spain|||
TUN||Tunisian|Tunis|Sfax,Sousse||Carthage Palace=GOV
TUR|Turkey|Turkish/Turks,Turk/Turks|Ankara|Istanbul,Izmir,Antalya,Gaziantep,Diyarbakir,Hatay,Incirlik,Bosphorus|Türkiye,Turkiye,Republic of Turkey,Republic of Türkiye|Cankaya=GOV,Çankaya=GOV
TUV||Tuvaluan|Funafuti|||
TWN|Taiwan|Taiwanese/Taiwanese|Taipei|Kaohsiung,Taichung,Kinmen|Republic of China,ROC,Chinese Taipei,Formosa|Legislative Yuan=LEG,Executive Yuan=GOV
TZA|Tanzania|Tanzanian|Dodoma|Dar es Salaam,Zanzibar,Arusha|United Republic of Tanzania|State House Dar es Salaam=GOV
UGA||Ugandan|Kampala|Entebbe,Gulu||
UKR||Ukrainian|Kyiv,Kiev|Kharkiv,Kharkov,Odesa,Odessa,Lviv,Dnipro,Zaporizhzhia,Zaporizhia,Mariupol,Kherson,Mykolaiv,Donetsk,Luhansk,Lugansk,Donbas,Donbass,Crimea,Bakhmut,Avdiivka,Sumy,Chernihiv,Bucha,Irpin,Izium,Kramatorsk,Sloviansk,Melitopol,Severodonetsk|Ukraine|Verkhovna Rada=LEG,Rada=LEG,Bankova=GOV
UMI||||||
URY||Uruguayan|Montevideo|||
USA|United States|American/Americans|Washington,Washington DC,Washington D.C.|New York,Los Angeles,Chicago,San Francisco,Houston,Miami,Boston,Seattle,Atlanta|US,U.S.,USA,U.S.A.,America,United States of America|White House=GOV,Pentagon=MIL,State Department=GOV,Department of State=GOV,Capitol Hill=LEG,US Congress=LEG,Senate Foreign Relations Committee=LEG,Oval Office=GOV,Foggy Bottom=GOV,CIA=GOV,FBI=GOV,US military=MIL,CENTCOM=MIL,Central Command=MIL
UZB||Uzbek,Uzbekistani|Tashkent|Samarkand,Bukhara,Termez,Andijan,Fergana,Namangan,Nukus,Karakalpakstan|Republic of Uzbekistan|Oliy Majlis=LEG,Kuksaroy=GOV
VAT|Holy See|Vatican/-,Papal/-,Pontifical/-|Vatican City|St Peter's Square,St. Peter's Square,Castel Gandolfo|Vatican,Holy See,the Vatican,Vatican City State,State of the Vatican City|Apostolic Palace=REL,Roman Curia=REL,Curia=REL,Secretariat of State=REL,Apostolic Nunciature=REL,Vatican Bank=BUS
VCT||Vincentian|Kingstown||St Vincent and the Grenadines|
VEN|Venezuela|Venezuelan|Caracas|Maracaibo|Bolivarian Republic of Venezuela|Miraflores=GOV
VGB|British Virgin Islands|British Virgin Islander|Road Town|||
VIR|US Virgin Islands|US Virgin Islander|Charlotte Amalie||U.S. Virgin Islands|
VNM|Vietnam|Vietnamese/Vietnamese|Hanoi|Ho Chi Minh City,Saigon,Haiphong,Da Nang|Viet Nam,Socialist Republic of Vietnam|
VUT||Ni-Vanuatu/Ni-Vanuatu|Port Vila|||
WLF||Wallisian,Futunan||||
WSM||Samoan|Apia|||
YEM||Yemeni/Yemenis,Yemenite|Sanaa,Sana'a,Sana’a|Aden,Hodeidah,Hudaydah,Taiz,Marib,Mukalla,Saada,Hadramawt|Republic of Yemen|
ZAF||South African|Pretoria,Cape Town|Johannesburg,Durban,Soweto,Port Elizabeth||Union Buildings=GOV
ZMB||Zambian|Lusaka|Ndola,Kitwe|||
ZWE||Zimbabwean|Harare|Bulawayo,Mutare||
XKX|Kosovo|Kosovar,Kosovan|Pristina,Prishtina|Mitrovica,Prizren|Republic of Kosovo|
"""

# Territories and places that are not sovereign states (kept for resolution, flagged).
DEPENDENT = {
    "ABW",
    "AIA",
    "ALA",
    "ASM",
    "ATA",
    "ATF",
    "BES",
    "BLM",
    "BMU",
    "BVT",
    "CCK",
    "COK",
    "CUW",
    "CXR",
    "CYM",
    "ESH",
    "FLK",
    "FRO",
    "GGY",
    "GIB",
    "GLP",
    "GRL",
    "GUF",
    "GUM",
    "HKG",
    "HMD",
    "IMN",
    "IOT",
    "JEY",
    "MAC",
    "MAF",
    "MNP",
    "MSR",
    "MTQ",
    "MYT",
    "NCL",
    "NFK",
    "NIU",
    "PCN",
    "PRI",
    "PYF",
    "REU",
    "SGS",
    "SHN",
    "SJM",
    "SPM",
    "SXM",
    "TCA",
    "TKL",
    "UMI",
    "VGB",
    "VIR",
    "WLF",
}

# Regions: labelled LOC without a code, so that "Latin America" is not read as America.
REGIONS = [
    "Latin America",
    "South America",
    "North America",
    "Central America",
    "Central Asia",
    "Middle East",
    "Near East",
    "Far East",
    "South Asia",
    "Southeast Asia",
    "South-East Asia",
    "East Asia",
    "West Africa",
    "East Africa",
    "North Africa",
    "Southern Africa",
    "Central Africa",
    "Sub-Saharan Africa",
    "Sahel",
    "Horn of Africa",
    "Western Europe",
    "Eastern Europe",
    "Central Europe",
    "Balkans",
    "Caucasus",
    "South Caucasus",
    "North Caucasus",
    "Persian Gulf",
    "Arabian Peninsula",
    "Asia-Pacific",
    "Indo-Pacific",
    "Europe",
    "Asia",
    "Africa",
    "Eurasia",
    "Caribbean",
    "Scandinavia",
    "Levant",
    "Maghreb",
    "Korean Peninsula",
    "South China Sea",
    "East China Sea",
    "Black Sea",
    "Red Sea",
    "Strait of Hormuz",
    "Taiwan Strait",
    "Gulf of Aden",
    "Central Asian",
    "Latin American",
    "South American",
    "North American",
    "Central American",
    "Middle Eastern",
    "East Asian",
    "Southeast Asian",
    "European",
    "Asian",
    "African",
    "Arab",
    "Western",
    "Kurdish",
    "Kurds",
    "Arabs",
    "Europeans",
]

KOSOVO = {"alpha_3": "XKX", "name": "Kosovo", "official_name": "Republic of Kosovo"}


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(",") if part.strip()] if cell else []


def _plural(word: str) -> str:
    if word.endswith(("s", "sh", "ch", "ese", "x", "z")) or word.isupper() or "." in word:
        return word
    return word + "s"


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def build() -> list[dict]:
    rows = {}
    for line in TABLE.strip().splitlines():
        cells = (line.split("|") + [""] * 7)[:7]
        rows[cells[0]] = cells
    countries = [(c.alpha_3, c) for c in pycountry.countries] + [("XKX", None)]
    states = []
    for code, country in countries:
        if code not in rows:
            raise SystemExit(f"no table row for {code}")
        _, name, demonyms, capital, places, aliases, metonyms = rows[code]
        base = country.name if country else KOSOVO["name"]
        common = getattr(country, "common_name", None) if country else None
        official = getattr(country, "official_name", None) if country else KOSOVO["official_name"]
        name = name or common or base
        adjectives, people = [], []
        for item in _split(demonyms):
            adjective, _, plural = item.partition("/")
            adjectives.append(adjective)
            if plural != "-":
                people.append(plural or _plural(adjective))
        names = _unique([name, base if "," not in base and "(" not in base else "", common or ""])
        states.append(
            {
                "code": code,
                "name": name,
                "sovereign": code not in DEPENDENT,
                "names": names,
                "official": _unique([official.removeprefix("the ")] if official else []),
                "aliases": _unique([a for a in _split(aliases) if a not in names]),
                "demonyms": _unique(adjectives),
                "people": _unique([p for p in people if p not in adjectives]),
                "capital": _split(capital)[:1],
                "places": _unique(_split(capital)[1:] + _split(places)),
                "metonyms": {m.split("=")[0]: m.split("=")[1] for m in _split(metonyms)},
            }
        )
    return states


def main() -> None:
    states = build()
    payload = {"ambiguous": sorted(AMBIGUOUS), "regions": REGIONS, "states": states}
    OUT.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(states)} states to {OUT}")


if __name__ == "__main__":
    main()
