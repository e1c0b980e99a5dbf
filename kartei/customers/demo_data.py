"""Word lists for realistic demo customers in German, Polish and English-speaking (UK) settings."""

DE = {
    "first": "Anna Lukas Jürgen Günther Sören Björn Käthe Maximilian Sophie Leon Marie Felix Lena Paul Emma Jonas "
    "Hannah Elias Mia Tim Laura Jan Lea Niklas Sarah Tobias Julia Florian Katrin Stefan Sabine Thomas Petra "
    "Andreas Claudia Michael Monika Wolfgang Ursula Klaus Renate Dieter Gisela Uwe Brigitte Jörg Heike Frank Bärbel",
    "last": "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter "
    "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz "
    "Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang "
    "Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz "
    "Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Schumacher Krämer Vogt Stein Jäger Otto "
    "Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn",
    "cities": [
        ("Berlin", "10"),
        ("Hamburg", "20"),
        ("München", "80"),
        ("Köln", "50"),
        ("Frankfurt am Main", "60"),
        ("Stuttgart", "70"),
        ("Düsseldorf", "40"),
        ("Leipzig", "04"),
        ("Dortmund", "44"),
        ("Essen", "45"),
        ("Bremen", "28"),
        ("Dresden", "01"),
        ("Hannover", "30"),
        ("Nürnberg", "90"),
        ("Bonn", "53"),
        ("Münster", "48"),
        ("Mannheim", "68"),
        ("Karlsruhe", "76"),
        ("Augsburg", "86"),
        ("Wiesbaden", "65"),
        ("Aachen", "52"),
        ("Braunschweig", "38"),
        ("Kiel", "24"),
        ("Chemnitz", "09"),
        ("Freiburg im Breisgau", "79"),
        ("Mainz", "55"),
        ("Lübeck", "23"),
        ("Erfurt", "99"),
        ("Rostock", "18"),
        ("Kassel", "34"),
        ("Potsdam", "14"),
        ("Saarbrücken", "66"),
        ("Osnabrück", "49"),
        ("Heidelberg", "69"),
        ("Regensburg", "93"),
        ("Würzburg", "97"),
        ("Göttingen", "37"),
        ("Ulm", "89"),
        ("Mülheim an der Ruhr", "45"),
        ("Görlitz", "02"),
    ],
    "streets": "Hauptstraße|Schulstraße|Gartenstraße|Bahnhofstraße|Dorfstraße|Bergstraße|Birkenweg|Lindenstraße|"
    "Kirchstraße|Waldstraße|Ringstraße|Schillerstraße|Goethestraße|Jahnstraße|Am Markt|Mühlenweg|Rosenstraße|"
    "Wiesenweg|Blumenstraße|Sonnenstraße|Mozartstraße|Poststraße|Feldstraße|Königstraße|Industriestraße|Talstraße",
    "trades": "Bäckerei|Metallbau|Elektrotechnik|Holzbau|Gartenbau|Friseursalon|Feinkost|Druckerei|Schreinerei|"
    "Blumenladen|Weinhandel|Autohaus|Optik|Getränkehandel|Malerbetrieb|Konditorei|Fahrradladen|Zahntechnik",
    "company": [
        "{last} {trade} GmbH",
        "{trade} {last} e.K.",
        "{last} & {last2} GmbH & Co. KG",
        "{trade} {city} GmbH",
        "{last} {trade} KG",
        "{last} AG",
    ],
    "label": ("Privat", "Büro", "Rechnungsadresse", "Lieferadresse"),
    "country": "DE",
    "currency": ("EUR",),
    "language": "de",
    "mail": ("example.com", "example.net", "example.org"),
}

PL = {
    "first_f": "Anna Katarzyna Małgorzata Agnieszka Krystyna Barbara Ewa Elżbieta Zofia Joanna Dorota Jadwiga Teresa "
    "Magdalena Monika Natalia Aleksandra Justyna Beata Halina Irena Marta Grażyna Urszula Iwona Sylwia Żaneta",
    "first_m": "Piotr Krzysztof Andrzej Tomasz Paweł Jan Michał Marcin Jakub Łukasz Grzegorz Mateusz Wojciech "
    "Mariusz Dariusz Zbigniew Jerzy Józef Stanisław Kamil Ryszard Maciej Szymon Bartłomiej Przemysław Sławomir",
    "last": "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski "
    "Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek Piotrowski Grabowski Zając Pawłowski "
    "Michalski Król Wieczorek Jabłoński Wróbel Nowakowski Majewski Olszewski Stępień Malinowski Jaworski Adamczyk "
    "Dudek Nowicki Pawlak Górski Witkowski Walczak Sikora Baran Rutkowski Michalak Szewczyk Ostrowski "
    "Tomaszewski Pietrzak Zalewski Wróblewski Łuczak Żak Gałązka Ślusarczyk",
    "cities": [
        ("Warszawa", "00"),
        ("Kraków", "30"),
        ("Łódź", "90"),
        ("Wrocław", "50"),
        ("Poznań", "60"),
        ("Gdańsk", "80"),
        ("Szczecin", "70"),
        ("Bydgoszcz", "85"),
        ("Lublin", "20"),
        ("Białystok", "15"),
        ("Katowice", "40"),
        ("Gdynia", "81"),
        ("Częstochowa", "42"),
        ("Radom", "26"),
        ("Toruń", "87"),
        ("Sosnowiec", "41"),
        ("Kielce", "25"),
        ("Rzeszów", "35"),
        ("Gliwice", "44"),
        ("Olsztyn", "10"),
        ("Bielsko-Biała", "43"),
        ("Zielona Góra", "65"),
        ("Opole", "45"),
        ("Elbląg", "82"),
        ("Płock", "09"),
        ("Wałbrzych", "58"),
        ("Tarnów", "33"),
        ("Koszalin", "75"),
        ("Kalisz", "62"),
        ("Legnica", "59"),
        ("Nowy Sącz", "33"),
    ],
    "streets": "ul. Polna|ul. Leśna|ul. Słoneczna|ul. Krótka|ul. Szkolna|ul. Ogrodowa|ul. Lipowa|ul. Łąkowa|"
    "ul. Brzozowa|ul. Kwiatowa|ul. Kościelna|ul. Sosnowa|ul. Zielona|ul. Parkowa|ul. Akacjowa|ul. Kolejowa|"
    "ul. Mickiewicza|ul. Sienkiewicza|ul. Kościuszki|ul. Piłsudskiego|ul. Żeromskiego|ul. Słowackiego|"
    "ul. Kopernika|ul. Dworcowa|Rynek|al. Jana Pawła II",
    "trades": "Piekarnia|Stolarnia|Kwiaciarnia|Drukarnia|Hurtownia|Salon Fryzjerski|Warsztat Samochodowy|"
    "Biuro Rachunkowe|Cukiernia|Zakład Ślusarski|Sklep Ogrodniczy|Apteka",
    "company": [
        "{trade} {last} Sp. z o.o.",
        "P.H.U. {last}",
        "{last} i Wspólnicy Sp.j.",
        "{trade} „{city}” s.c.",
        "{last} Sp. z o.o.",
        "F.H. {last} {first}",
    ],
    "label": ("Domowy", "Służbowy", "Do faktury", "Do wysyłki"),
    "country": "PL",
    "currency": ("PLN", "PLN", "PLN", "EUR"),
    "language": "pl",
    "mail": ("example.com", "example.net", "example.org"),
}

EN = {
    "first": "Oliver George Harry Jack Jacob Noah Charlie Thomas Oscar William James Olivia Amelia Isla Ava Emily "
    "Sophie Grace Lily Jessica Chloe Ella Charlotte Mia Evie Ruby Poppy Daniel Samuel Joseph Emma Hannah Lucy Sarah",
    "last": "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright "
    "Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward "
    "Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett "
    "Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox O'Brien Khan",
    "cities": [
        ("London", "EC1"),
        ("Manchester", "M1"),
        ("Birmingham", "B1"),
        ("Leeds", "LS1"),
        ("Glasgow", "G1"),
        ("Liverpool", "L1"),
        ("Bristol", "BS1"),
        ("Sheffield", "S1"),
        ("Edinburgh", "EH1"),
        ("Cardiff", "CF10"),
        ("Leicester", "LE1"),
        ("Nottingham", "NG1"),
        ("Newcastle upon Tyne", "NE1"),
        ("Brighton", "BN1"),
        ("Oxford", "OX1"),
        ("Cambridge", "CB1"),
        ("York", "YO1"),
        ("Bath", "BA1"),
        ("Norwich", "NR1"),
    ],
    "streets": "High Street|Station Road|Main Street|Park Road|Church Road|Church Street|London Road|Victoria Road|"
    "Green Lane|Manor Road|Church Lane|Park Avenue|The Avenue|Queens Road|New Road|Grange Road|Kings Road|Mill Lane",
    "trades": "Bakery|Joinery|Florist|Printing|Hair Studio|Garage|Catering|Interiors|Brewery|Opticians|Builders",
    "company": ["{last} & Sons Ltd", "{last} {trade} Ltd", "{city} {trade} Co.", "{last} & {last2} LLP"],
    "label": ("Home", "Work", "Billing", "Shipping"),
    "country": "GB",
    "currency": ("GBP", "GBP", "EUR"),
    "language": "en",
    "mail": ("example.com", "example.net", "example.org"),
}

TAGS = [
    ("VIP", "purple"),
    ("Stammkunde", "green"),
    ("Neukunde", "teal"),
    ("Großhandel", "blue"),
    ("Messe 2026", "orange"),
    ("Newsletter", "yellow"),
    ("B2B", "grey"),
    ("Zahlt spät", "red"),
]

NOTES = [
    ("Angerufen wegen Q2-Bestellung. Interessiert an der neuen Produktlinie, nächste Woche nachfassen.", "high"),
    ("Zahlt immer pünktlich, bevorzugt Lieferung dienstags.", "none"),
    ("Prosi o ofertę na 200 sztuk przed końcem miesiąca.", "medium"),
    ("Klient zainteresowany rabatem hurtowym, zadzwonić w piątek.", "high"),
    ("Met at the trade fair, wants samples of the spring range.", "medium"),
    ("Prefers email over phone calls.", "none"),
    ("Reklamation vom März erledigt, Kunde zufrieden.", "none"),
    ("Wants a quote for 50 units before Friday.", "high"),
]
